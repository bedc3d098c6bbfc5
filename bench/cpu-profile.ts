import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Reads a V8 CPU profile (`node --cpu-prof`) and says where the time went, in a few named parts:
 * each sample goes to the first rule (in the order given) that matches its stack, so a rule for an
 * inner part (YAML parsing) comes before the rule for what calls it (the framework loader).
 * `(idle)` is time the thread waited (file reads, the network); `(garbage collector)` and
 * `(program)` are V8's own.
 */

type Frame = { functionName: string; url: string };
type ProfileNode = { id: number; callFrame: Frame; children?: number[] };
type Profile = {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
};

/** `match` sees the sample's whole stack, innermost frame first. */
export type Rule = { part: string; match: (stack: Frame[]) => boolean };

export type ProfileSummary = {
  file: string;
  wallMs: number;
  busyMs: number;
  /** ms by part, largest first. */
  parts: { part: string; ms: number }[];
};

/** Some frame of the stack is in a script whose URL (path) matches every pattern given, each by some frame. */
const byUrl = (part: string, ...patterns: RegExp[]): Rule => ({
  part,
  match: (stack) => patterns.every((pattern) => stack.some((f) => pattern.test(f.url))),
});
/** Some frame of the stack is a function of this name. */
const byFunction = (part: string, name: string): Rule => ({
  part,
  match: (stack) => stack.some((f) => f.functionName === name),
});

const V8_OWN = new Set(['(idle)', '(garbage collector)', '(program)']);

function summariseProfile(profile: Profile, rules: Rule[], file = ''): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const partOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = partOf.get(id);
    if (known !== undefined) return known;
    const leaf = byId.get(id)?.callFrame;
    let part = 'other';
    if (leaf && V8_OWN.has(leaf.functionName)) part = leaf.functionName;
    else {
      const frames: Frame[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)?.callFrame;
        if (frame) frames.push(frame);
      }
      part = rules.find((rule) => rule.match(frames))?.part ?? 'other';
    }
    partOf.set(id, part);
    return part;
  };
  const totals = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const part = classify(id);
    totals.set(part, (totals.get(part) ?? 0) + us);
    if (part !== '(idle)') busy += us;
  });
  return {
    file,
    wallMs: (profile.endTime - profile.startTime) / 1000,
    busyMs: busy / 1000,
    parts: [...totals].map(([part, us]) => ({ part, ms: us / 1000 })).sort((a, b) => b.ms - a.ms),
  };
}

/** Summarises every .cpuprofile in a folder (one per process, or per thread). */
export async function summariseProfiles(dir: string, rules: Rule[]): Promise<ProfileSummary[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile')).sort();
  const summaries: ProfileSummary[] = [];
  for (const name of files) {
    const file = path.join(dir, name);
    const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
    summaries.push(summariseProfile(profile, rules, file));
  }
  return summaries;
}

const MODULES = /^node:internal\/modules\//;

/** Where the app's start goes: modules by package, framework files (YAML, schema), the store, the server. */
export const START_RULES: Rule[] = [
  byUrl(
    'loading modules: @slack/bolt and what it loads (express, socket-mode, axios…)',
    MODULES,
    /node_modules\/@slack\//,
  ),
  byUrl('loading modules: other packages', MODULES, /node_modules\//),
  byUrl("loading modules: Node's loader (resolving, reading, compiling)", MODULES),
  byUrl('frameworks: YAML parsing (yaml)', /node_modules\/yaml\//),
  byUrl('frameworks: schema check (zod)', /node_modules\/zod\//, /\/frameworks\//),
  byFunction('frameworks: reading files, other checks', 'readFrameworks'),
  byUrl('frameworks: building the catalog', /\/frameworks\/catalog\.(js|ts)$/),
  byUrl('store: open', /\/store\//),
  byUrl('Bolt: creating the app', /node_modules\/@slack\//),
];

/** Where a burst of clicks goes in the app: the PostgreSQL client, answering on response_urls, Bolt… */
export const BURST_RULES: Rule[] = [
  byUrl('PostgreSQL client (pg, its socket writes)', /node_modules\/(pg|pg-protocol|pg-pool)\//),
  byUrl("answers to response_urls (Node's fetch: undici)", /undici/),
  byUrl(
    "answers to response_urls (the app's kept-alive node:http client)",
    /\/slack\/response-url\.(js|ts)$|^node:_http_(client|agent)$/,
  ),
  byUrl('checking each change (zod)', /node_modules\/zod\//),
  byUrl('metrics (prom-client)', /node_modules\/prom-client\//),
  byUrl('app: store', /\/(dist|src)\/store\//),
  byUrl('app: views', /\/(dist|src)\/slack\/views\//),
  byUrl('app: assessments', /\/(dist|src)\/assessments\//),
  byUrl('loading modules', MODULES),
  byUrl(
    "Bolt and the app's Slack layer (routing, middleware, signature, body parsing)",
    /node_modules\/@slack\/|\/(dist|src)\/slack\//,
  ),
  byUrl('HTTP server, sockets', /^node:(_http_|net$)|stream_base_commons/),
];
