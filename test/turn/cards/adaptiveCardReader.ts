import { createRequire } from 'node:module';
import type * as AdaptiveCardsTypes from 'adaptivecards';

/**
 * The adaptivecards SDK, loaded from its UMD bundle: the package's lib/ is ESM that Node cannot require.
 * The types come from the package's own declarations of the same classes.
 */
const AC = createRequire(__filename)('adaptivecards/dist/adaptivecards.js') as typeof AdaptiveCardsTypes;

/** A card as the Adaptive Cards SDK understood it, with every problem the SDK reported. */
export interface ReadCard {
  card: AdaptiveCardsTypes.AdaptiveCard;
  /** Parse and validation events (errors and warnings), as "phase/event: message". */
  problems: string[];
  /** The text of every TextBlock in document order, nested containers included. */
  texts: string[];
  /** Every TextBlock in document order, nested containers included. */
  textBlocks: AdaptiveCardsTypes.TextBlock[];
  /** Each action's title and data, in order. */
  actions: { type: string; title: string | undefined; data: unknown }[];
}

function collectTextBlocks(
  container: AdaptiveCardsTypes.CardElementContainer,
  into: AdaptiveCardsTypes.TextBlock[],
): void {
  for (let i = 0; i < container.getItemCount(); i++) {
    const element = container.getItemAt(i);
    if (element instanceof AC.TextBlock) {
      into.push(element);
    } else if (element instanceof AC.CardElementContainer) {
      collectTextBlocks(element, into);
    }
  }
}

function describe(event: AdaptiveCardsTypes.IValidationEvent): string {
  return `${AC.ValidationPhase[event.phase]}/${AC.ValidationEvent[event.event]}: ${event.message}`;
}

/** Parses card JSON with the Adaptive Cards SDK and validates it. */
export function readCard(json: unknown): ReadCard {
  const card = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  card.parse(json, context);

  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) {
    problems.push(describe(context.getEventAt(i)));
  }
  problems.push(...card.validateProperties().validationEvents.map(describe));

  const textBlocks: AdaptiveCardsTypes.TextBlock[] = [];
  collectTextBlocks(card, textBlocks);
  const texts = textBlocks.map((block) => block.text ?? '');

  const actions: ReadCard['actions'] = [];
  for (let i = 0; i < card.getActionCount(); i++) {
    const action = card.getActionAt(i)!;
    actions.push({
      type: action.getJsonTypeName(),
      title: action.title,
      data: action instanceof AC.SubmitAction ? action.data : undefined,
    });
  }
  return { card, problems, texts, textBlocks, actions };
}

/** The SDK itself, for tests that need its classes. */
export { AC };
