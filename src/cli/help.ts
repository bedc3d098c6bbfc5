import { CLI_NAME } from './render.js';

/** What `competency --help` and `competency <command> --help` print, and the names of the commands. */

export const COMMANDS = [
  'list',
  'show',
  'validate',
  'import',
  'export',
  'migrate',
  'rotate-token-key',
  'help',
] as const;
export type Command = (typeof COMMANDS)[number];

export const HELP_HINT = `Run \`${CLI_NAME} --help\` for usage.`;

export const GENERAL_HELP = `${CLI_NAME}: competency frameworks in the terminal, for the people who write them and run the app

Usage:
  ${CLI_NAME} list                          every framework, one line each
  ${CLI_NAME} show <role> <level> [domain]  a framework at one level
  ${CLI_NAME} validate [folder or file…]    check the framework files
  ${CLI_NAME} import <file…> [--out <file or folder>]
                                            make framework files from a CSV or TSV table,
                                            or from saved framework pages
  ${CLI_NAME} export <framework> --csv [--out <file>]
                                            write a framework as a CSV table (the import format)
  ${CLI_NAME} migrate --to postgres [--check]
                                            copy the ratings from DATA_DIR into DATABASE_URL
  ${CLI_NAME} rotate-token-key              encrypt the stored Slack tokens again with a new key
  ${CLI_NAME} <command> --help              more about one command

Options:
  --dir <folder>   also read the frameworks in this folder (may be repeated)
  --out <path>     import: where to write; export: the file instead of the output
  --force          import, export: replace a file that already exists
  --no-color       plain text, even in a terminal (so does setting NO_COLOR)
  -h, --help       show this help
  --version        print the version

Frameworks come from the bundled frameworks/ folder, from FRAMEWORKS_DIR
when it is set, and from every --dir folder.

Examples:
  ${CLI_NAME} list
  ${CLI_NAME} show solutions-architect senior
  ${CLI_NAME} show sa sr
  ${CLI_NAME} show Solutions Architect lead
  ${CLI_NAME} validate ./my-frameworks
  ${CLI_NAME} import people.csv --out ./my-frameworks
  ${CLI_NAME} export solutions-architect --csv > solutions-architect.csv
  FRAMEWORKS_DIR=./my-frameworks ${CLI_NAME} list`;

export const COMMAND_HELP: Record<Command, string> = {
  list: `Usage: ${CLI_NAME} list [--dir <folder>]

Lists every framework, one line each: its id, role · domain, levels and how
many competencies it has. Reads the bundled frameworks, FRAMEWORKS_DIR when it
is set, and every --dir folder. Files with problems are left out, with a note;
\`${CLI_NAME} validate\` explains them.

Examples:
  ${CLI_NAME} list
  ${CLI_NAME} list --dir ./my-frameworks`,

  show: `Usage: ${CLI_NAME} show <role> <level> [domain] [--dir <folder>]

Shows a framework at one level: the role and level summaries, the 1–5 scale,
then the primary and supporting competencies, each with what is expected at
that level and at the levels around it. Case, spaces, - and _ and short forms
are all forgiven. The domain is needed only when a role has frameworks for more
than one domain.

Exit status: 0 when found, 1 when nothing matches (with suggestions),
2 when the role or level is missing.

Examples:
  ${CLI_NAME} show solutions-architect senior
  ${CLI_NAME} show sa sr
  ${CLI_NAME} show Solutions Architect lead
  ${CLI_NAME} show solutions-architect mid e-commerce`,

  validate: `Usage: ${CLI_NAME} validate [folder or file…] [--dir <folder>]

Checks every framework file: the bundled ones, the folders and files given, and
FRAMEWORKS_DIR when it is set (the same check as \`npm run frameworks:check\`).
Prints one line per good framework and one \`file:line:col: …\` line per problem.

Exit status: 0 when all is good, 1 when there is a problem to fix.

Examples:
  ${CLI_NAME} validate
  ${CLI_NAME} validate ./my-frameworks
  ${CLI_NAME} validate ./my-frameworks/data-engineer.fintech.yml`,

  import: `Usage: ${CLI_NAME} import <file> [more files…] [--out <file or folder>] [--force]

Makes framework files from what an organisation already has:
  - a CSV or TSV table with a header row and one row per role, domain, level
    and competency; the columns are: role, domain, level, competency,
    category, tier (primary or supporting), expected level (1 to 5) and
    description, and optionally scale label, role summary and level summary
    (see docs/examples/framework.csv);
  - a saved framework page for one role at one level, as text or HTML: pages
    of the same role at other levels are merged into one framework.
What the input does not give gets a default: the scale's descriptions, a
role summary, the version (today) and the source (the input's file name).

Every file is checked the way the app checks it before anything is written.
A mistake is reported as \`file:line: what is wrong\`, and then nothing is
written. Files must be UTF-8 (in Excel: "CSV UTF-8"), or UTF-16 with a byte
order mark, and at most 10 MB; a framework has at most 8 levels and 24
competencies. The file is named <role>.<domain>.yml, in the current folder unless
--out names a folder or that file; --out - prints it instead. An existing file
is replaced only with --force.

Exit status: 0 when written, 1 when an input has a problem, 2 for a usage
mistake.

Examples:
  ${CLI_NAME} import people.csv
  ${CLI_NAME} import levels.tsv --out ./my-frameworks
  ${CLI_NAME} import architect-mid.txt architect-senior.txt --out ./my-frameworks`,

  export: `Usage: ${CLI_NAME} export <framework id, role or file> --csv [--out <file>] [--force]

Writes a framework as a table in the form \`${CLI_NAME} import\` reads: one row
per level and competency, levels from the most junior, competencies in the
file's order; the role summary on the first row, each level's summary on its
first row. --tsv writes tabs instead of commas. A cell a spreadsheet would take
for a formula (starting with =, +, - or @) gets a ' in front, which import
takes off. The table goes to the output unless --out names a file. Importing it
gives the same framework back (less the aliases, the source and the scale's
descriptions, which a table does not hold).

Exit status: 0 when written, 1 when no framework matches, 2 for a usage mistake.

Examples:
  ${CLI_NAME} export solutions-architect.e-commerce --csv
  ${CLI_NAME} export sa --csv --out solutions-architect.csv
  ${CLI_NAME} export ./my-frameworks/tester.web.yml --tsv`,

  migrate: `Usage: ${CLI_NAME} migrate --to postgres [--check]

Copies everything the app keeps about people from the file store (the folder
DATA_DIR, ./data unless set) into the PostgreSQL database DATABASE_URL, for
when you outgrow one process. Stop the app that uses DATA_DIR first: the copy
takes the folder's lock. Running it again copies nothing twice. A person the
database already has with other data is left as the database has them, and
counted. It prints how many people and records it found and copied.

--check copies nothing: it compares the two and exits 1 when they differ.

Exit status: 0 when done (or, with --check, when both hold the same),
1 when something failed (or differs), 2 for a usage mistake.

Examples:
  DATABASE_URL=postgres://app@db.internal/competency ${CLI_NAME} migrate --to postgres
  DATABASE_URL=postgres://app@db.internal/competency ${CLI_NAME} migrate --to postgres --check`,

  'rotate-token-key': `Usage: ${CLI_NAME} rotate-token-key

For an app installed into many workspaces: encrypts every stored Slack token
again with the key in SLACK_TOKEN_ENCRYPTION_KEY. To change the key:
  1. put the new key in SLACK_TOKEN_ENCRYPTION_KEY and the old one in
     SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS, and restart the app (it reads both);
  2. run this command with the same settings;
  3. remove SLACK_TOKEN_ENCRYPTION_PREVIOUS_KEYS and restart the app.
It reads the same settings as the app (DATABASE_URL or DATA_DIR; with DATA_DIR,
stop the app first). Safe to run again: what is already under the new key is
left as it is. With DATABASE_URL it can run while the app does: a token
refreshed or an installation removed meanwhile is never undone.

Exit status: 0 when every token is under the new key, 1 when some could not
be read with the keys given or kept changing while it ran (they are named) or
the store failed, 2 for a usage mistake.`,

  help: `Usage: ${CLI_NAME} help [command]

Shows how to use ${CLI_NAME}, or one of its commands.

Examples:
  ${CLI_NAME} help
  ${CLI_NAME} help show`,
};

export function isCommand(name: string): name is Command {
  return (COMMANDS as readonly string[]).includes(name);
}
