/** Alerts as Slack incoming-webhook messages (see slack-message.ts for what they say). */
import type { AlertDocument } from "../build.ts";
import { postJson } from "./http-post.ts";
import type { Sink } from "./sink.ts";
import { slackMessage } from "./slack-message.ts";

export class SlackSink implements Sink {
  readonly name: string;

  constructor(
    private readonly url: string,
    private readonly timeoutMs?: number,
  ) {
    this.name = `slack:${url}`;
  }

  deliver(alert: AlertDocument): Promise<void> {
    return postJson(this.url, slackMessage(alert), {}, this.timeoutMs);
  }
}
