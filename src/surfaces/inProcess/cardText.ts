/** An Adaptive Card element as far as its text goes. */
interface CardElement {
  type?: unknown;
  text?: unknown;
  facts?: unknown;
  items?: unknown;
}

/**
 * The text of a simple Adaptive Card (what a confirmation becomes once answered), one line per TextBlock and
 * one `title: value` line per fact of a FactSet, containers included, in document order; empty lines are
 * left out. For surfaces that show a card's outcome as text.
 */
export function cardTextLines(card: unknown): string[] {
  const lines: string[] = [];
  const visit = (elements: unknown): void => {
    if (!Array.isArray(elements)) return;
    for (const element of elements as CardElement[]) {
      if (typeof element !== 'object' || element === null) continue;
      if (element.type === 'TextBlock' && typeof element.text === 'string' && element.text.trim() !== '') {
        lines.push(element.text);
      } else if (element.type === 'FactSet' && Array.isArray(element.facts)) {
        for (const fact of element.facts as Array<{ title?: unknown; value?: unknown }>) {
          const text = (value: unknown): string => (typeof value === 'string' ? value : '');
          lines.push(`${text(fact.title)}: ${text(fact.value)}`);
        }
      } else {
        visit(element.items);
      }
    }
  };
  visit(typeof card === 'object' && card !== null ? (card as { body?: unknown }).body : undefined);
  return lines;
}
