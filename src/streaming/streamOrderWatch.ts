import type { Middleware, TurnContext } from 'botbuilder';

/** A streaming update Teams accepted with 202 but dropped because it arrived out of order. */
export interface StreamOrderRejection {
  url: string;
  body: string;
}

/** The part of @azure/core-rest-pipeline's Pipeline this watch uses. */
interface PipelineLike {
  addPolicy(policy: {
    name: string;
    sendRequest(
      request: { url: string },
      next: (request: { url: string }) => Promise<{ status: number; bodyAsText?: string | null }>,
    ): Promise<{ status: number; bodyAsText?: string | null }>;
  }): void;
  getOrderedPolicies(): Array<{ name: string }>;
}

const POLICY_NAME = 'streamOrderWatch';

/**
 * Adapter middleware that spots Teams' 202 + `ContentStreamSequenceOrderPreConditionFailed`: the status is a
 * success, so botbuilder reports nothing, yet the update was dropped. Sends to one stream are serialised, so
 * this should not happen; when it does, it is reported rather than lost.
 *
 * botbuilder 4.23.3's ConnectorFactoryImpl overwrites any `requestPolicyFactories` passed in the connector
 * options, so the policy is added to each turn's ConnectorClient pipeline here instead. That pipeline is a
 * private field of botbuilder's compat client, hence the one cast below.
 */
export function streamOrderWatchMiddleware(
  onRejected: (rejection: StreamOrderRejection) => void,
): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const key = (context.adapter as { ConnectorClientKey?: symbol }).ConnectorClientKey;
      const connectorClient: unknown = key ? context.turnState.get(key) : undefined;
      const pipeline = (connectorClient as { client?: { pipeline?: PipelineLike } } | undefined)?.client
        ?.pipeline;
      if (pipeline && !pipeline.getOrderedPolicies().some((policy) => policy.name === POLICY_NAME)) {
        pipeline.addPolicy({
          name: POLICY_NAME,
          async sendRequest(request, nextPolicy) {
            const response = await nextPolicy(request);
            const body = response.bodyAsText ?? '';
            if (response.status === 202 && body.includes('ContentStreamSequenceOrderPreConditionFailed')) {
              onRejected({ url: request.url, body: body.slice(0, 500) });
            }
            return response;
          },
        });
      }
      await next();
    },
  };
}
