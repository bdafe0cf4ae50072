/**
 * The labelled attacks. Each is written through the same emitter as benign traffic (delivery files them into the
 * right 5-minute windows) and returns its ground truth: keys, event ids, span and what each rule should see.
 */
import { API, type ApiContext } from "./apis.ts";
import type { Emitter } from "./emitter.ts";
import type { Cluster, Estate, Workload } from "./estate.ts";
import { type AttackKind, type AttackTruth, type Expectation, RULE_IDS } from "./ground-truth.ts";
import { AMAZON_EGRESS, AMAZON_IPV6, type AddressPool, drawAddress, TOR_EXITS, VPS } from "./network.ts";
import type { Random } from "./random.ts";
import { makeRole, openSession, type Session, serviceIdentity, webIdentityUser } from "./session.ts";
import { assumeRoleForPodIdentity, assumeRoleWithWebIdentity, podIdentityAssumeRole } from "./sts.ts";
import { isoSeconds } from "./time-format.ts";
import { UA } from "./user-agents.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface AttackEnv {
  rng: Random;
  out: Emitter;
  estate: Estate;
  start: number;
  end: number;
}

/** Collects what an attack did while it writes it. */
class Trace {
  keys = new Set<string>();
  ids: string[] = [];
  ips = new Set<string>();
  first = Number.POSITIVE_INFINITY;
  last = 0;

  constructor(
    private readonly env: AttackEnv,
    readonly cluster: Cluster,
  ) {}

  api(time: number): ApiContext {
    const c = this.cluster;
    return { rng: this.env.rng, time, account: c.account, region: c.region, cluster: c.name };
  }

  /** Notes an event written by the attack's own code. */
  record(id: string, time: number, ip: string) {
    this.ids.push(id);
    this.seen(time, ip);
  }

  private seen(time: number, ip: string) {
    this.first = Math.min(this.first, time);
    this.last = Math.max(this.last, time);
    if (!ip.endsWith(".amazonaws.com")) this.ips.add(ip);
  }

  /** The service-account token exchanged for credentials from `ip`. */
  exchange(time: number, w: Workload, ip: string, userAgent: string): Session {
    const api = this.api(time);
    const ex = assumeRoleWithWebIdentity(api, w.role, w.cluster.oidcProvider, w.subject, `botocore-session-${Math.floor(time / 1000)}`, 3600);
    const identity = webIdentityUser(w.cluster.oidcProvider, w.subject);
    this.ids.push(this.env.out.emit({ time, account: api.account, region: api.region, ip, userAgent, identity }, ex.call));
    this.keys.add(ex.session!.accessKeyId);
    this.seen(time, ip);
    return ex.session!;
  }

  /** Calls made with a session, `gap` apart starting after `time`; returns the time of the last one. */
  calls(session: Session, time: number, names: string[], ip: string, gapSeconds: [number, number]): number {
    let t = time;
    for (const name of names) {
      t += this.env.rng.between(gapSeconds[0], gapSeconds[1]) * 1000;
      const api = this.api(t);
      this.ids.push(...this.env.out.callWith(session, api, ip, UA.attackerCli, API[name](api)));
      this.keys.add(session.accessKeyId);
      this.seen(t, ip);
    }
    return t;
  }

  truth(kind: AttackKind, title: string, serviceAccount: string, expected: Expectation[]): AttackTruth {
    return {
      id: kind,
      kind,
      title,
      account: this.cluster.account,
      cluster: this.cluster.name,
      region: this.cluster.region,
      serviceAccount,
      accessKeys: [...this.keys],
      eventIds: this.ids,
      sourceIps: [...this.ips],
      start: isoSeconds(this.first),
      end: isoSeconds(this.last),
      expected,
    };
  }
}

const workload = (c: Cluster, id: string) => c.workloads.find((w) => w.id === id)!;
const at = (env: AttackEnv, fraction: number) => env.start + Math.floor((env.end - env.start) * fraction);
const caught = (ruleId: string, why: string): Expectation => ({ ruleId, caught: true, why });
const missed = (ruleId: string, why: string): Expectation => ({ ruleId, caught: false, why });

function outsideTokenExchange(env: AttackEnv, cluster: Cluster): AttackTruth {
  const trace = new Trace(env, cluster);
  const victim = workload(cluster, "external-dns");
  const pools: AddressPool[] = [VPS[0], TOR_EXITS[0], VPS[1], TOR_EXITS[1]];
  let t = at(env, 0.12);
  for (const pool of pools) {
    const ip = drawAddress(pool, env.rng);
    const session = trace.exchange(t, victim, ip, UA.attackerCli);
    trace.calls(session, t, ["GetCallerIdentity", "GetObject", "GetObject"], ip, [5, 40]);
    t += env.rng.between(8, 25) * MINUTE;
  }
  return trace.truth("outside-token-exchange", "Stolen service-account token exchanged from VPS and Tor exits (IPv4 and IPv6)", victim.subject, [
    caught(RULE_IDS.externalAsn, "each exchange comes from a non-Amazon AS organization (DigitalOcean, Tor exit hosting)"),
    missed(RULE_IDS.lateralMovement, "each key makes only GetCallerIdentity besides the exchange (S3 GetObject is excluded): 2 distinct actions, the rule needs 3"),
  ]);
}

function inClusterCompromise(env: AttackEnv, cluster: Cluster): AttackTruth {
  const trace = new Trace(env, cluster);
  const victim = workload(cluster, "payments-api");
  const ip = cluster.natIps[0];
  const t = at(env, 0.3);
  const session = trace.exchange(t, victim, ip, UA.attackerCli);
  trace.calls(
    session,
    t,
    ["GetCallerIdentity", "ListRoles", "ListAttachedRolePolicies", "ListSecrets", "GetSecretValue", "GetSecretValue", "DescribeParameters", "GetParameters", "CreateUser", "CreateAccessKey", "AttachUserPolicy"],
    ip,
    [20, 120],
  );
  return trace.truth("in-cluster-compromise", "Compromised application pod: recon, then secrets, then IAM persistence", victim.subject, [
    missed(RULE_IDS.externalAsn, "the exchange leaves through the cluster's NAT gateway, in Amazon's ASN, like legitimate traffic"),
    caught(RULE_IDS.lateralMovement, "one key fans out into recon, credential access and persistence actions"),
  ]);
}

function ec2TokenReplay(env: AttackEnv, cluster: Cluster): AttackTruth {
  const trace = new Trace(env, cluster);
  const victim = workload(cluster, "ebs-csi-driver");
  let t = at(env, 0.45);
  for (const ip of [drawAddress(AMAZON_EGRESS["us-east-1"], env.rng), drawAddress(AMAZON_IPV6, env.rng)]) {
    const session = trace.exchange(t, victim, ip, UA.attackerCli);
    trace.calls(session, t, ["GetCallerIdentity", "ListBuckets", "DescribeInstances", "ListSecrets", "GetSecretValue"], ip, [10, 60]);
    t += env.rng.between(30, 90) * MINUTE;
  }
  return trace.truth("ec2-token-replay", "Service-account token replayed from the attacker's own EC2 instance (IPv4 and IPv6)", victim.subject, [
    missed(RULE_IDS.externalAsn, "the attacker's EC2 instance is in Amazon's ASN: the rule's documented blind spot"),
    caught(RULE_IDS.lateralMovement, "each key fans out into recon and secrets actions"),
  ]);
}

function slowAttacker(env: AttackEnv, cluster: Cluster): AttackTruth {
  const trace = new Trace(env, cluster);
  const victim = workload(cluster, "orders-worker");
  const ip = cluster.natIps[1];
  const steps = ["ListRoles", "ListAttachedRolePolicies", "ListSecrets", "GetParameters", "CreateUser", "CreateAccessKey", "AttachUserPolicy"];
  const first = at(env, 0.05);
  const last = Math.min(first + 30 * HOUR, at(env, 0.95));
  steps.forEach((name, i) => {
    const t = first + Math.floor(((last - first) * i) / (steps.length - 1));
    const session = trace.exchange(t, victim, ip, UA.attackerCli);
    trace.calls(session, t, [name], ip, [20, 90]);
  });
  return trace.truth("slow-attacker", "Slow attacker in a pod: one action per fresh credential exchange, spread over more than 24 hours", victim.subject, [
    missed(RULE_IDS.externalAsn, "every exchange leaves through the cluster's NAT gateway, in Amazon's ASN"),
    missed(RULE_IDS.lateralMovement, "each freshly exchanged key makes a single sensitive action: 2 distinct actions per key, the rule needs 3 on one key"),
  ]);
}

function podIdentity(env: AttackEnv, cluster: Cluster): AttackTruth {
  const trace = new Trace(env, cluster);
  const ip = cluster.natIps[0];
  const t = at(env, 0.6);
  const api = trace.api(t);
  // The Pod Identity agent on the node calls eks-auth with the node role's credentials.
  const node = openSession(env.rng, cluster.nodeRole, cluster.nodes[0], t - 2 * HOUR, 6 * 3600, { kind: "ec2" });
  trace.record(env.out.emit({ time: t, account: api.account, region: api.region, ip, userAgent: UA.podIdentityAgent, identity: node.identity }, assumeRoleForPodIdentity(api)), t, ip);
  const role = makeRole(env.rng, cluster.account, `${cluster.name}-reports-api-pod-identity`);
  const { call, session } = podIdentityAssumeRole({ ...api, time: t + 1000 }, role, "reports", "reports-api", `reports-api-${env.rng.hex(10)}-${env.rng.alnum(5).toLowerCase()}`);
  const pods = "pods.eks.amazonaws.com";
  trace.record(env.out.emit({ time: t + 1000, account: api.account, region: api.region, ip: pods, userAgent: pods, identity: serviceIdentity(pods), sharedEventID: env.rng.uuid() }, call), t + 1000, pods);
  trace.calls(session, t + 1000, ["GetCallerIdentity", "ListRoles", "ListSecrets", "GetSecretValue", "CreateUser", "CreateAccessKey"], ip, [20, 120]);
  return trace.truth("pod-identity", "Compromised pod using EKS Pod Identity credentials: recon, secrets, IAM persistence", "system:serviceaccount:reports:reports-api", [
    missed(RULE_IDS.externalAsn, "Pod Identity makes no AssumeRoleWithWebIdentity: nothing for the rule to match"),
    missed(RULE_IDS.lateralMovement, "the key comes from AssumeRole by pods.eks.amazonaws.com, not from a web-identity exchange by a service account: no key has an assume the rule counts"),
  ]);
}

const BUILDERS: Record<AttackKind, (env: AttackEnv, cluster: Cluster) => AttackTruth> = {
  "outside-token-exchange": outsideTokenExchange,
  "in-cluster-compromise": inClusterCompromise,
  "ec2-token-replay": ec2TokenReplay,
  "slow-attacker": slowAttacker,
  "pod-identity": podIdentity,
};

/** Writes one attack into its cluster's traffic and returns its ground truth. */
export function runAttack(kind: AttackKind, env: AttackEnv, cluster: Cluster): AttackTruth {
  return BUILDERS[kind](env, cluster);
}
