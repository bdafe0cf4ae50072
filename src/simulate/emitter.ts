/** Where actors put the records they make: built into text at once and handed to delivery. */
import type { ApiContext } from "./apis.ts";
import { decryptOnBehalf, SECRETS } from "./apis.ts";
import { buildRecord, type CallShape, type EventContext } from "./record.ts";
import type { Random } from "./random.ts";
import { onBehalfIdentity, type Session } from "./session.ts";

export interface RecordSink {
  add(time: number, account: string, region: string, text: string): void;
}

/** IAM is a global service: CloudTrail records its calls in us-east-1. */
const GLOBAL_REGION = "us-east-1";

export class Emitter {
  count = 0;
  constructor(
    private readonly rng: Random,
    private readonly sink: RecordSink,
  ) {}

  emit(ctx: EventContext, call: CallShape): string {
    const region = call.source === "iam.amazonaws.com" ? GLOBAL_REGION : ctx.region;
    const built = buildRecord(this.rng, region === ctx.region ? ctx : { ...ctx, region }, call);
    this.sink.add(ctx.time, ctx.account, region, built.text);
    this.count++;
    return built.eventID;
  }

  /**
   * A call made with a session, plus what AWS records on its behalf: Secrets Manager decrypts a secret with KMS
   * using the caller's credentials, from the service's own address. Returns every event id written.
   */
  callWith(session: Session, api: ApiContext, ip: string, userAgent: string, call: CallShape): string[] {
    const ids = [this.emit({ time: api.time, account: api.account, region: api.region, ip, userAgent, identity: session.identity }, call)];
    if (call.name === "GetSecretValue") {
      const by = "secretsmanager.amazonaws.com";
      const decrypt = decryptOnBehalf({ ...api, time: api.time + 80 }, by, api.rng.pick(SECRETS));
      ids.push(
        this.emit(
          { time: api.time, account: api.account, region: api.region, ip: by, userAgent: by, identity: onBehalfIdentity(session, by) },
          decrypt,
        ),
      );
    }
    return ids;
  }
}
