/**
 * The English catalogue: the source of truth for which message keys exist. Every other catalogue is typed
 * `Record<MessageKey, string>`, so a key added here and not translated elsewhere is a compile error.
 * `{name}` marks a placeholder that `translate` fills in; translations must keep the same placeholders.
 */
export const en = {
  'informative.start': 'Thinking about your question...',
  'informative.tool.search_knowledge': 'Searching the knowledge base...',
  'informative.tool.create_work_item': 'Creating the work item...',
  'informative.tool.find_work_items': 'Looking up work items...',
  'informative.tool.update_work_item': 'Updating the work item...',
  'informative.tool.close_work_items': 'Preparing the change for your confirmation...',
  'tool.close_work_items': 'Close work items',
  'confirm.title.close_work_items': 'Close {count} work item(s)?',
  'confirm.intro': 'Nothing changes until you press Confirm. This request expires in {minutes} minutes.',
  'confirm.button.confirm': 'Confirm',
  'confirm.button.cancel': 'Cancel',
  'confirm.done': 'Done: the change was applied.',
  'confirm.cancelled': 'Cancelled: nothing was changed.',
  'confirm.expired': 'This request expired: nothing was changed. Ask again if you still want it.',
  'confirm.unknown': 'This request is no longer pending: nothing was changed.',
  'confirm.notRequester': 'Only the person who asked for this change can confirm or cancel it.',
  'confirm.title.update_work_item': 'Change {count} work item(s)?',
  'confirm.field.title': 'Title',
  'confirm.field.description': 'Description',
  'confirm.field.status': 'Status',
  'confirm.field.assignee': 'Assigned to',
  'confirm.field.dueDate': 'Due date',
  'confirm.empty': '(none)',
  'confirm.partial': 'Partly done: the items marked as skipped were not changed.',
  'confirm.nothingApplied':
    'Nothing was changed: the items were changed by someone else or removed in the meantime.',
  'confirm.item.applied': 'changed',
  'confirm.item.missing': 'skipped, it no longer exists',
  'confirm.item.changedSince': 'skipped, it was changed in the meantime',
  'informative.tool.other': 'Working on it...',

  'error.model':
    "Sorry, I couldn't get an answer from the language model just now. Please try again in a moment.",
  'error.generic': 'Sorry, something went wrong while answering. Please try again.',
  'error.reference': '(error id: {id})',

  'notice.partial': '(The answer was cut short because the model stopped responding.)',
  'notice.interrupted': '(This answer was interrupted because the assistant restarted. Please ask again.)',
  'notice.stopped': '[stopped by the user]',
  'admission.busy': "I'm answering a lot of questions right now. Please try again in a moment.",
  'admission.tooFast':
    "You're sending messages faster than I can answer. Please wait {seconds} seconds and try again.",
  'notice.offline': 'Answered by the built-in offline model (no language model is configured).',

  'card.title': 'About this answer',
  'card.sources': 'Sources',
  'card.tools': 'Tools used',
  'card.followUps': 'Ask next',
  'card.noSources': 'No sources were used.',

  'tool.search_knowledge': 'Knowledge base search',
  'tool.create_work_item': 'Create work item',
  'tool.find_work_items': 'Find work items',
  'tool.update_work_item': 'Update work item',

  'followUp.moreAbout': 'Tell me more about {title}',
  'followUp.myWorkItems': 'Show the work items in this chat',
  'followUp.openItems': 'Which work items are still open?',
  'followUp.searchRelated': 'What else should I know about {topic}?',

  welcome: [
    "Hi! I'm your team assistant. Here is what I can do for you:",
    '',
    '- **Search the knowledge base** and answer with the sources I used',
    '- **Create work items**, for example "Create a task to update the onboarding guide"',
    '- **Find work items**, for example "Which work items are still open?"',
    '- **Update work items**, for example "Mark work item 12 as done"',
    '',
    'Just ask in your own words.',
  ].join('\n'),
} satisfies Record<string, string>;

/** A key of the message catalogues. */
export type MessageKey = keyof typeof en;
