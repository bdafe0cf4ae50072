/**
 * The benign estate's traffic. Each actor advances window by window and emits the calls it makes in that window.
 */
import { API, type ApiContext } from "./apis.ts";
import type { Emitter } from "./emitter.ts";
import { type Cluster, type Estate, sessionNameFor, type Workload } from "./estate.ts";
import { drawAddress, GITHUB_RUNNERS, OFFICE } from "./network.ts";
import type { Random } from "./random.ts";
import { makeRole, type Role, type Session, serviceIdentity, webIdentityUser } from "./session.ts";
import { assumeRoleWithWebIdentity, serviceAssumeRole } from "./sts.ts";
import { UA } from "./user-agents.ts";

export interface Actor {
  /** Emits this actor's calls with times before `to`. */
  advance(to: number): void;
}

const MINUTE = 60_000;

function weighted(rng: Random, calls: [string, number][]): string {
  let total = 0;
  for (const [, w] of calls) total += w;
  let r = rng.next() * total;
  for (const [name, w] of calls) {
    r -= w;
    if (r < 0) return name;
  }
  return calls[calls.length - 1][0];
}

/** One replica of an IRSA workload: exchanges its token about every 45–55 min (SDK refresh before the 1 h expiry). */
class IrsaReplica implements Actor {
  private session?: Session;
  private refreshAt = 0;
  private next: number;
  private readonly ip: string;

  constructor(
    private readonly w: Workload,
    private readonly rng: Random,
    private readonly out: Emitter,
    start: number,
  ) {
    this.next = start + rng.exponential(MINUTE / w.perMinute);
    this.ip = rng.pick(w.cluster.natIps);
  }

  private api(time: number): ApiContext {
    const c = this.w.cluster;
    return { rng: this.rng, time, account: c.account, region: c.region, cluster: c.name };
  }

  advance(to: number): void {
    const w = this.w;
    while (this.next < to) {
      const t = this.next;
      if (!this.session || t >= this.refreshAt) {
        const at = t - this.rng.between(50, 2000);
        const ex = assumeRoleWithWebIdentity(this.api(at), w.role, w.cluster.oidcProvider, w.subject, sessionNameFor(w.naming, at, this.rng), 3600);
        this.out.emit(
          { time: at, account: w.cluster.account, region: w.cluster.region, ip: this.ip, userAgent: w.userAgent, identity: webIdentityUser(w.cluster.oidcProvider, w.subject) },
          ex.call,
        );
        this.session = ex.session;
        this.refreshAt = at + this.rng.between(45, 55) * MINUTE;
      }
      const api = this.api(t);
      this.out.callWith(this.session!, api, this.ip, w.userAgent, API[weighted(this.rng, w.calls)](api));
      this.next = t + this.rng.exponential(MINUTE / w.perMinute);
    }
  }
}

/**
 * A CronJob whose service account the role does not trust (a typo in the trust policy's `sub`): every run's
 * exchange is denied, and no credentials follow.
 */
class DeniedCronJob implements Actor {
  private next: number;
  private readonly role: Role;
  private readonly subject = "system:serviceaccount:reports:default";

  constructor(
    private readonly cluster: Cluster,
    private readonly rng: Random,
    private readonly out: Emitter,
    start: number,
  ) {
    this.role = makeRole(rng, cluster.account, `${cluster.name}-reports-exporter`);
    this.next = start + rng.int(15 * MINUTE);
  }

  advance(to: number): void {
    const c = this.cluster;
    while (this.next < to) {
      const t = this.next;
      this.next = t + 15 * MINUTE + this.rng.int(20_000);
      const api: ApiContext = { rng: this.rng, time: t, account: c.account, region: c.region, cluster: c.name };
      const ex = assumeRoleWithWebIdentity(api, this.role, c.oidcProvider, this.subject, sessionNameFor("botocore", t, this.rng), 3600, true);
      this.out.emit({ time: t, account: c.account, region: c.region, ip: c.natIps[0], userAgent: UA.boto3, identity: webIdentityUser(c.oidcProvider, this.subject) }, ex.call);
    }
  }
}

/** A node's instance profile: EC2 delivers its credentials; the VPC CNI and the ECR credential provider use them. */
class Node implements Actor {
  private session?: Session;
  private next: number;
  private readonly ip: string;

  constructor(
    private readonly cluster: Cluster,
    private readonly instanceId: string,
    private readonly rng: Random,
    private readonly out: Emitter,
    start: number,
  ) {
    this.next = start + rng.exponential(3 * MINUTE);
    this.ip = rng.pick(cluster.natIps);
  }

  advance(to: number): void {
    const c = this.cluster;
    while (this.next < to) {
      const t = this.next;
      const api: ApiContext = { rng: this.rng, time: t, account: c.account, region: c.region, cluster: c.name };
      if (!this.session || t > this.session.expires - 15 * MINUTE) {
        const at = t - 1000;
        const { call, session } = serviceAssumeRole({ ...api, time: at }, c.nodeRole, this.instanceId, 6 * 3600, "ec2");
        const ec2 = "ec2.amazonaws.com";
        this.out.emit({ time: at, account: c.account, region: c.region, ip: ec2, userAgent: ec2, identity: serviceIdentity(ec2), sharedEventID: this.rng.uuid() }, call);
        this.session = session;
      }
      const name = weighted(this.rng, [["DescribeNetworkInterfaces", 4], ["AssignPrivateIpAddresses", 1], ["DescribeInstances", 1], ["GetAuthorizationToken", 1]]);
      const ua = name === "GetAuthorizationToken" ? UA.ecrCredentialProvider : UA.vpcCni;
      this.out.callWith(this.session, api, this.ip, ua, API[name](api));
      this.next = t + this.rng.exponential(3 * MINUTE);
    }
  }
}

/** Engineers signed in through IAM Identity Center, using the CLI from the office during working hours (UTC). */
class Engineer implements Actor {
  private session?: Session;
  private next: number;
  private readonly role: Role;

  constructor(
    private readonly cluster: Cluster,
    private readonly email: string,
    private readonly rng: Random,
    private readonly out: Emitter,
    start: number,
  ) {
    this.role = makeRole(rng, cluster.account, `aws-reserved/sso.amazonaws.com/AWSReservedSSO_PowerUserAccess_${rng.hex(16)}`);
    this.next = start + rng.exponential(20 * MINUTE);
  }

  advance(to: number): void {
    const c = this.cluster;
    while (this.next < to) {
      const t = this.next;
      this.next = t + this.rng.exponential(4 * MINUTE);
      const hour = new Date(t).getUTCHours();
      if (hour < 13 || hour >= 23) continue;
      const api: ApiContext = { rng: this.rng, time: t, account: c.account, region: c.region, cluster: c.name };
      if (!this.session || t > this.session.expires) {
        // The SSO portal hands out role credentials (sso:GetRoleCredentials); the session is what CloudTrail shows.
        this.session = serviceAssumeRole(api, this.role, this.email, 8 * 3600, "plain").session;
      }
      const name = weighted(this.rng, [["DescribeInstances", 3], ["DescribeCluster", 2], ["ListRoles", 1], ["GetSecretValue", 1], ["ListBuckets", 1], ["GetCallerIdentity", 1], ["DescribeLogStreams", 1]]);
      this.out.callWith(this.session, api, drawAddress(OFFICE, this.rng), UA.engineerCli, API[name](api));
    }
  }
}

/** GitHub Actions deploy jobs: OIDC token exchanged from a hosted runner, then a push and a deploy. */
class GithubCi implements Actor {
  private next: number;
  private readonly provider: string;
  private readonly role: Role;

  constructor(
    private readonly cluster: Cluster,
    private readonly rng: Random,
    private readonly out: Emitter,
    start: number,
  ) {
    this.provider = `arn:aws:iam::${cluster.account}:oidc-provider/token.actions.githubusercontent.com`;
    this.role = makeRole(rng, cluster.account, "github-actions-deploy");
    this.next = start + rng.exponential(40 * MINUTE);
  }

  advance(to: number): void {
    const c = this.cluster;
    while (this.next < to) {
      const t = this.next;
      this.next = t + this.rng.exponential(40 * MINUTE);
      const repo = this.rng.pick(["payments", "orders", "platform-infra"]);
      const subject = `repo:acme/${repo}:ref:refs/heads/main`;
      const ip = drawAddress(GITHUB_RUNNERS, this.rng);
      const api: ApiContext = { rng: this.rng, time: t, account: c.account, region: c.region, cluster: c.name };
      const ex = assumeRoleWithWebIdentity(api, this.role, this.provider, subject, "GitHubActions", 3600);
      this.out.emit({ time: t, account: c.account, region: c.region, ip, userAgent: UA.githubAction, identity: webIdentityUser(this.provider, subject) }, ex.call);
      let at = t;
      for (const name of ["GetCallerIdentity", "GetAuthorizationToken", "DescribeCluster", "PutObject"]) {
        at += this.rng.between(5, 90) * 1000;
        const step = { ...api, time: at };
        this.out.callWith(ex.session!, step, ip, UA.ciCli, API[name](step));
      }
    }
  }
}

/** Service-linked roles that AWS services assume on their own schedule. */
class ServiceRoles implements Actor {
  private next: number;
  private readonly roles: [string, Role][];

  constructor(
    private readonly cluster: Cluster,
    private readonly rng: Random,
    private readonly out: Emitter,
    start: number,
  ) {
    const role = (service: string, name: string) =>
      [service, makeRole(rng, cluster.account, `aws-service-role/${service}/${name}`)] as [string, Role];
    this.roles = [
      role("eks.amazonaws.com", "AWSServiceRoleForAmazonEKS"),
      role("autoscaling.amazonaws.com", "AWSServiceRoleForAutoScaling"),
      role("eks-nodegroup.amazonaws.com", "AWSServiceRoleForAmazonEKSNodegroup"),
    ];
    this.next = start + rng.exponential(10 * MINUTE);
  }

  advance(to: number): void {
    const c = this.cluster;
    while (this.next < to) {
      const t = this.next;
      this.next = t + this.rng.exponential(10 * MINUTE);
      const [service, role] = this.rng.pick(this.roles);
      const api: ApiContext = { rng: this.rng, time: t, account: c.account, region: c.region, cluster: c.name };
      const { call } = serviceAssumeRole(api, role, this.rng.pick(["AmazonEKS", "AutoScaling", "EKS"]), 3600, "plain");
      this.out.emit({ time: t, account: c.account, region: c.region, ip: service, userAgent: service, identity: serviceIdentity(service) }, call);
    }
  }
}

const ENGINEERS = ["alice", "bob", "carol"];

/** The actors of one cluster; the account's people and pipelines go with the account's first cluster. */
export function clusterActors(estate: Estate, cluster: Cluster, rng: Random, out: Emitter, start: number): Actor[] {
  const actors: Actor[] = [];
  for (const w of cluster.workloads) {
    for (let r = 0; r < w.replicas; r++) actors.push(new IrsaReplica(w, rng.fork(`${w.id}/${r}`), out, start));
  }
  for (const node of cluster.nodes) actors.push(new Node(cluster, node, rng.fork(node), out, start));
  actors.push(new DeniedCronJob(cluster, rng.fork("denied-cronjob"), out, start));
  if (estate.clusters.find((c) => c.account === cluster.account) === cluster) {
    for (const e of ENGINEERS) actors.push(new Engineer(cluster, `${e}@acme.example`, rng.fork(e), out, start));
    actors.push(new GithubCi(cluster, rng.fork("ci"), out, start));
    actors.push(new ServiceRoles(cluster, rng.fork("services"), out, start));
  }
  return actors;
}
