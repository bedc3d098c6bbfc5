import { EventEmitter } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messagesIn } from './chat.js';
import { setChannelMembers } from './conversations.js';
import { HttpError, sendText } from './http.js';
import { approve, installation, issueCode, uninstall } from './oauth.js';
import { addMessage } from './permalinks.js';
import { failResponseUrl, newResponseUrl } from './response-urls.js';
import { handleRequest } from './router.js';
import { addFile } from './shared-files.js';
import { SlackState } from './state.js';
import type {
  AddFileOptions,
  AddMessageOptions,
  AdminRole,
  ApiCall,
  ApproveOptions,
  FileDownload,
  HttpFailure,
  LocalCanvas,
  LocalInstallation,
  LocalOrg,
  LocalSlack,
  LocalSlackOptions,
  LocalWorkspace,
  ResponsePost,
  SlackFileObject,
  UploadedFile,
} from './types.js';
import { setUserGroup } from './usergroups.js';
import { addMembers, setAdmin, setUserAccount, setUserTimeZone } from './users.js';

/**
 * The local Slack as an object: an HTTP server on 127.0.0.1 in front of the state (state.ts), with
 * the methods tests and the sandbox use to set it up, fail it, wait for it and read what it recorded.
 */
export class LocalSlackServer extends EventEmitter implements LocalSlack {
  private readonly state: SlackState;
  private readonly server: Server;

  constructor(opts: LocalSlackOptions) {
    super();
    this.state = new SlackState(opts, (event, value) => this.emit(event, value));
    this.server = createServer((req, res) => {
      handleRequest(this.state, req, res).catch((error: unknown) => {
        if (res.headersSent) {
          res.destroy();
          return;
        }
        if (error instanceof HttpError) sendText(res, error.status, error.body);
        else sendText(res, 500, 'internal_error');
      });
    });
  }

  get url(): string {
    return this.state.url;
  }

  get apiUrl(): string {
    return `${this.url}/api/`;
  }

  get authorizeUrl(): string {
    return `${this.url}/oauth/v2/authorize`;
  }

  get calls(): ApiCall[] {
    return this.state.calls;
  }

  get responses(): ResponsePost[] {
    return this.state.responses;
  }

  get files(): UploadedFile[] {
    return this.state.files;
  }

  get downloads(): FileDownload[] {
    return this.state.downloads;
  }

  get team(): { id: string; domain: string } {
    return this.state.team;
  }

  get bot(): { userId: string; botId: string; token: string } {
    return this.state.bot;
  }

  get appToken(): string {
    return this.state.appToken;
  }

  get workspaces(): readonly LocalWorkspace[] {
    return this.state.workspaces;
  }

  get orgs(): readonly LocalOrg[] {
    return this.state.orgs;
  }

  get oauth(): { clientId: string; clientSecret: string; redirectUri: string | undefined } | undefined {
    const app = this.state.oauthApp;
    return app && { clientId: app.clientId, clientSecret: app.clientSecret, redirectUri: app.redirectUri };
  }

  setTokenLifetime(seconds: number | undefined): void {
    this.state.setTokenLifetime(seconds);
  }

  issueCode(opts: ApproveOptions): string {
    return issueCode(this.state, opts);
  }

  approve(opts: ApproveOptions): string {
    return approve(this.state, opts);
  }

  installation(target: string): LocalInstallation | undefined {
    return installation(this.state, target);
  }

  uninstall(target: string): LocalInstallation {
    return uninstall(this.state, target);
  }

  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    this.state.url = `http://127.0.0.1:${address.port}`;
  }

  useSocketMode(url: string | undefined): void {
    this.state.socketModeUrl = url;
  }

  newResponseUrl(message?: { channel: string; ts: string }): string {
    return newResponseUrl(this.state, message);
  }

  messagesIn(channel: string): { ts: string; text: string; blocks: unknown[]; edited: boolean }[] {
    return messagesIn(this.state, channel);
  }

  failResponseUrl(url: string, failure: { status: number; body?: string; times?: number }): void {
    failResponseUrl(this.state, url, failure);
  }

  failNext(method: string, error: string): void {
    const queue = this.state.pendingFailures.get(method) ?? [];
    queue.push(error);
    this.state.pendingFailures.set(method, queue);
  }

  failNextHttp(method: string, failure: HttpFailure): void {
    const queue = this.state.pendingHttpFailures.get(method) ?? [];
    queue.push(failure);
    this.state.pendingHttpFailures.set(method, queue);
  }

  holdCalls(method: string, count: number): void {
    if (!(Number.isInteger(count) && count >= 2)) {
      throw new Error(`local Slack: holding calls needs a count of 2 or more, not ${count}`);
    }
    this.state.releaseHold(method);
    this.state.holds.set(method, { count, waiting: [] });
  }

  setChannelMembers(channelId: string, userIds: readonly string[]): void {
    setChannelMembers(this.state, channelId, userIds);
  }

  setUserTimeZone(userId: string, timeZone: string): void {
    setUserTimeZone(this.state, userId, timeZone);
  }

  addMembers(teamId: string, people: readonly { id: string; timeZone?: string }[]): void {
    addMembers(this.state, teamId, people);
  }

  get canvases(): readonly LocalCanvas[] {
    return [...this.state.canvases.values()];
  }

  refuseCanvases(error: string | undefined): void {
    this.state.canvasRefusal = error;
  }

  deleteCanvas(id: string): void {
    this.state.canvases.delete(id);
  }

  setAdmin(userId: string, role: AdminRole | undefined): void {
    setAdmin(this.state, userId, role);
  }

  setUserAccount(userId: string, account: { teamId?: string; bot?: boolean }): void {
    setUserAccount(this.state, userId, account);
  }

  addMessage(message: AddMessageOptions): string {
    return addMessage(this.state, message);
  }

  addFile(file: AddFileOptions): SlackFileObject {
    return addFile(this.state, file);
  }

  setUserGroup(
    id: string,
    userIds: readonly string[],
    options: { handle?: string; name?: string; teamId?: string } = {},
  ): void {
    setUserGroup(this.state, id, userIds, options);
  }

  waitForResponses(n: number, timeoutMs = 5000): Promise<ResponsePost[]> {
    return this.waitFor(
      'response',
      () => (this.responses.length >= n ? this.responses.slice(0, n) : undefined),
      timeoutMs,
      () => `${n} response_url posts; got ${this.responses.length}`,
    );
  }

  waitForResponseTo(url: string, timeoutMs = 5000): Promise<ResponsePost> {
    return this.waitFor(
      'response',
      () => this.responses.find((post) => post.url === url),
      timeoutMs,
      () => 'a post to one response_url',
    );
  }

  waitForCalls(method: string, n: number, timeoutMs = 5000): Promise<ApiCall[]> {
    const matching = () => this.calls.filter((call) => call.method === method);
    return this.waitFor(
      'api',
      () => {
        const found = matching();
        return found.length >= n ? found.slice(0, n) : undefined;
      },
      timeoutMs,
      () =>
        `${n} ${method} calls; got ${matching().length} (calls so far: ${this.calls.map((c) => c.method).join(', ') || 'none'})`,
    );
  }

  waitForFiles(n: number, timeoutMs = 5000): Promise<UploadedFile[]> {
    return this.waitFor(
      'file',
      () => (this.files.length >= n ? this.files.slice(0, n) : undefined),
      timeoutMs,
      () =>
        `${n} completed file uploads; got ${this.files.length} (${this.state.uploads.size} started, not completed)`,
    );
  }

  reset(): void {
    const state = this.state;
    state.calls.length = 0;
    state.responses.length = 0;
    state.files.length = 0;
    state.downloads.length = 0;
    state.uploads.clear();
    state.openConversations.clear();
    state.pendingFailures.clear();
    state.pendingHttpFailures.clear();
    state.failingResponseUrls.clear();
    state.rateLimiter?.clear();
    for (const method of [...state.holds.keys()]) state.releaseHold(method);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }

  private waitFor<T>(
    event: 'api' | 'response' | 'file',
    check: () => T | undefined,
    timeoutMs: number,
    describeWait: () => string,
  ): Promise<T> {
    const now = check();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const onEvent = () => {
        const found = check();
        if (found === undefined) return;
        clearTimeout(timer);
        this.off(event, onEvent);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.off(event, onEvent);
        reject(new Error(`local Slack: timed out after ${timeoutMs} ms waiting for ${describeWait()}`));
      }, timeoutMs);
      this.on(event, onEvent);
    });
  }
}
