import type { Catalog } from '../frameworks/catalog.js';
import type { OrgCatalogs } from '../frameworks/org-catalogs.js';
import type { Upload, UploadOutcome } from '../frameworks/upload.js';
import type { MonthlyCount, OrgChange, OrgData } from '../model/org-data.js';
import type { Cadence } from '../model/records.js';
import { orgTeamMinimum } from '../model/team-rules.js';
import type { Store } from '../store/store.js';
import {
  type Actor,
  type ChangeOutcome,
  type PublishOutcome,
  publishIn,
  restoreIn,
  retireIn,
  setCadenceIn,
  setEditorsIn,
  setTeamMinimumIn,
  showBundledIn,
} from './admin.js';

/**
 * What an org's admins do with its frameworks and settings, over the Store: read the org's record,
 * check an upload against what the org sees, publish it, retire and restore, hide and show bundled
 * frameworks, set the team-view threshold. Who may do it is the caller's to check (Slack knows who
 * is an admin); each change runs under the org's lock, and this instance's catalog of the org is
 * rebuilt at once (other instances see the change within seconds: OrgCatalogs).
 */
export class OrgAdmin {
  readonly #bundledIds: ReadonlySet<string>;

  constructor(
    private readonly store: Pick<Store, 'orgData' | 'updateOrgData' | 'finishedPerMonth'>,
    private readonly catalogs: OrgCatalogs,
    /** TEAM_MIN_PEOPLE: the least any org's team views may show. */
    private readonly serverTeamMinimum: number,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.#bundledIds = new Set(catalogs.bundled.frameworks.map((f) => f.id));
  }

  /** The org's record, and the frameworks that come with the app. */
  async overview(org: string): Promise<{ data: Readonly<OrgData>; bundled: Catalog; catalog: Catalog }> {
    const [data, catalog] = await Promise.all([this.store.orgData(org), this.catalogs.for(org)]);
    return { data, bundled: this.catalogs.bundled, catalog };
  }

  /**
   * How many of the org's people finished an assessment, per framework, level and month (`data`: the
   * org's record, as `overview` read it), latest
   * month first, with the same K as the org's team views: a cell with fewer people is left out, and
   * nothing says how many were. Counts only, never who.
   */
  async adoption(org: string, data: Readonly<OrgData>): Promise<{ k: number; counts: MonthlyCount[] }> {
    const counts = await this.store.finishedPerMonth(org);
    const k = orgTeamMinimum(this.serverTeamMinimum, data.settings);
    const shown = counts
      .filter((c) => c.people >= k)
      .sort((a, b) => b.month.localeCompare(a.month) || b.people - a.people);
    return { k, counts: shown };
  }

  /** The changes an admin made to the org's frameworks and settings, as its change log keeps them (for their export). */
  async changesBy(org: string, userId: string): Promise<OrgChange[]> {
    return (await this.store.orgData(org)).log.filter((change) => change.by === userId);
  }

  /** Reads and checks a file as the org's next framework; nothing is kept. */
  async check(org: string, upload: Upload): Promise<UploadOutcome> {
    this.catalogs.changed(org);
    // Loaded at the first file checked, not at start: the YAML, CSV and page readers of an import.
    const { readUpload } = await import('../frameworks/upload.js');
    return readUpload(upload, await this.catalogs.for(org), this.#bundledIds, { today: this.today() });
  }

  /**
   * Checks the file again against what the org has now (another admin may have published since the
   * preview) and publishes it. Answers the check's problems when there are any, and keeps nothing.
   */
  async publish(
    org: string,
    upload: Upload,
    by: string,
    madeAt?: Date,
  ): Promise<
    | { kind: 'problems'; problems: string[] }
    | (PublishOutcome & { name: string; version: string; roleId: string })
  > {
    const checked = await this.check(org, upload);
    if (checked.kind === 'problems') return checked;
    const { framework, yaml } = checked;
    const outcome = await this.change(
      org,
      (data) => {
        // Under the lock: the same version published meanwhile is not kept twice.
        const newest = data.frameworks.find((f) => f.id === framework.id)?.versions.at(-1);
        if (newest?.version === framework.version) return undefined;
        return publishIn(
          data,
          { id: framework.id, version: framework.version, yaml, name: framework.role.name },
          this.actor(by),
        );
      },
      madeAt,
    );
    if (!outcome) {
      return {
        kind: 'problems',
        problems: [`version "${framework.version}" of ${framework.role.name} was published meanwhile.`],
      };
    }
    return { ...outcome, name: framework.role.name, version: framework.version, roleId: framework.role.id };
  }

  retire(org: string, id: string, by: string, madeAt?: Date): Promise<ChangeOutcome> {
    return this.change(org, (data) => retireIn(data, id, this.actor(by)), madeAt);
  }

  restore(org: string, id: string, by: string, madeAt?: Date): Promise<ChangeOutcome> {
    return this.change(org, (data) => restoreIn(data, id, this.actor(by)), madeAt);
  }

  showBundled(org: string, id: string, show: boolean, by: string, madeAt?: Date): Promise<ChangeOutcome> {
    return this.change(
      org,
      (data) => showBundledIn(data, id, show, this.#bundledIds, this.actor(by)),
      madeAt,
    );
  }

  setTeamMinimum(org: string, k: number | undefined, by: string, madeAt?: Date): Promise<ChangeOutcome> {
    return this.change(
      org,
      (data) => setTeamMinimumIn(data, k, this.serverTeamMinimum, this.actor(by)),
      madeAt,
    );
  }

  setEditors(
    org: string,
    group: { id: string; label: string } | undefined,
    by: string,
    madeAt?: Date,
  ): Promise<ChangeOutcome> {
    return this.change(org, (data) => setEditorsIn(data, group, this.actor(by)), madeAt);
  }

  setCadence(org: string, cadence: Cadence | undefined, by: string, madeAt?: Date): Promise<ChangeOutcome> {
    return this.change(org, (data) => setCadenceIn(data, cadence, this.actor(by)), madeAt);
  }

  /** The user group whose members may also change the org's frameworks, if the org named one. */
  async editorsGroup(org: string): Promise<string | undefined> {
    return (await this.store.orgData(org)).settings.editorsGroup;
  }

  /**
   * One change of the org's record under its lock. `madeAt`: when the admin asked (see
   * Store.update): an org whose app was removed since gets no record back from it.
   */
  private async change<T>(org: string, change: (data: OrgData) => T, madeAt?: Date): Promise<T> {
    try {
      return await this.store.updateOrgData(org, change, madeAt === undefined ? {} : { madeAt });
    } finally {
      this.catalogs.changed(org);
    }
  }

  private actor(by: string): Actor {
    return { by, at: this.now().toISOString() };
  }

  private today(): string {
    return this.now().toISOString().slice(0, 10);
  }
}
