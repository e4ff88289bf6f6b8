import { runConcurrently } from './concurrency';
import type { HttpClient, HttpResult } from './http-client';
import { LatencyRecorder, round, type LatencySummary } from './latency';

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
/** Entra ID's minimum for a SCIM endpoint, per tenant. */
const ENTRA_MINIMUM_PER_SECOND = 25;

export interface ScimCycleOptions {
  users: number;
  groups: number;
  /** The largest group; sizes grow evenly from 1 up to it. */
  maxGroupSize: number;
  /** Members added per group PATCH (Entra's own batch size is not documented; assumed). */
  memberBatch: number;
  concurrency: number;
}

export interface ScimPhase {
  name: string;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  latency: LatencySummary;
}

export interface ScimCycleReport {
  options: ScimCycleOptions;
  memberships: number;
  phases: ScimPhase[];
  total: { requests: number; seconds: number; requestsPerSecond: number; latency: LatencySummary };
  entraMinimumPerSecond: number;
  failures: string[];
}

/**
 * Entra ID's initial cycle against one tenant: each user looked up by userName, then created;
 * each group looked up by displayName (members excluded), created empty, then filled by PATCH
 * `Add members` in batches. Users and groups go `concurrency` at a time; one group's PATCHes go
 * one after the other, as one client fills one group.
 */
export async function runScimCycle(client: HttpClient, basePath: string, token: string, options: ScimCycleOptions): Promise<ScimCycleReport> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/scim+json', accept: 'application/scim+json' };
  const failures: string[] = [];
  const overall = new LatencyRecorder();
  const phases: ScimPhase[] = [];

  const call = async (recorder: LatencyRecorder, method: string, path: string, expected: number, body?: unknown): Promise<HttpResult> => {
    const started = performance.now();
    const result = await client.send(method, `${basePath}${path}`, { headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const elapsed = performance.now() - started;
    recorder.record(elapsed);
    overall.record(elapsed);
    if (result.status !== expected && failures.length < 20) failures.push(`${method} ${path} answered ${result.status}: ${result.body.slice(0, 200)}`);
    return result;
  };

  const phase = async (name: string, count: number, step: (recorder: LatencyRecorder, index: number) => Promise<void>) => {
    const recorder = new LatencyRecorder();
    let next = 0;
    const started = performance.now();
    await runConcurrently(options.concurrency, async () => {
      const index = next++;
      if (index >= count) return false;
      await step(recorder, index);
      return true;
    });
    const seconds = (performance.now() - started) / 1000;
    const latency = recorder.summary();
    phases.push({ name, requests: latency.count, seconds: round(seconds, 1), requestsPerSecond: round(latency.count / seconds, 1), latency: rounded(latency) });
  };

  const userIds: string[] = new Array(options.users);
  const cycleStarted = performance.now();
  await phase('users: filter by userName, then create', options.users, async (recorder, index) => {
    const userName = `user${index}@bench.example`;
    const lookup = await call(recorder, 'GET', `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`, 200);
    if (lookup.status === 200 && JSON.parse(lookup.body).totalResults !== 0) failures.push(`${userName} existed before the cycle`);
    const created = await call(recorder, 'POST', '/Users', 201, {
      schemas: [SCIM_USER, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      externalId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
      userName,
      active: true,
      displayName: `Bench User ${index}`,
      emails: [{ primary: true, type: 'work', value: userName }],
      meta: { resourceType: 'User' },
      name: { formatted: `Bench User ${index}`, familyName: 'User', givenName: 'Bench' },
      title: 'Engineer',
    });
    if (created.status === 201) userIds[index] = JSON.parse(created.body).id;
  });

  const sizes = Array.from({ length: options.groups }, (_, index) => Math.max(1, Math.floor((options.maxGroupSize * (index + 1)) / options.groups)));
  const memberships = sizes.reduce((total, size) => total + Math.min(size, options.users), 0);
  await phase('groups: filter by displayName, create, add members in batches', options.groups, async (recorder, index) => {
    const displayName = `bench-group-${index}`;
    await call(recorder, 'GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent(`displayName eq "${displayName}"`)}`, 200);
    const created = await call(recorder, 'POST', '/Groups', 201, { schemas: [SCIM_GROUP], externalId: `group-${index}`, displayName, meta: { resourceType: 'Group' } });
    if (created.status !== 201) return;
    const groupId = JSON.parse(created.body).id as string;
    const size = Math.min(sizes[index], options.users);
    for (let first = 0; first < size; first += options.memberBatch) {
      const members = [];
      for (let offset = first; offset < Math.min(size, first + options.memberBatch); offset++) {
        const userId = userIds[(index * 37 + offset) % options.users];
        if (userId) members.push({ $ref: null, value: userId });
      }
      await call(recorder, 'PATCH', `/Groups/${groupId}`, 204, { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'members', value: members }] });
    }
  });
  const seconds = (performance.now() - cycleStarted) / 1000;
  const latency = overall.summary();
  return {
    options,
    memberships,
    phases,
    total: { requests: latency.count, seconds: round(seconds, 1), requestsPerSecond: round(latency.count / seconds, 1), latency: rounded(latency) },
    entraMinimumPerSecond: ENTRA_MINIMUM_PER_SECOND,
    failures,
  };
}

function rounded(latency: LatencySummary): LatencySummary {
  return { count: latency.count, p50Ms: round(latency.p50Ms), p99Ms: round(latency.p99Ms), meanMs: round(latency.meanMs), maxMs: round(latency.maxMs) };
}
