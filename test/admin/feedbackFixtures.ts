import type { FeedbackWithAnswer } from '../../src/storage';

/** A disliked answer as the store returns it, with overrides. */
export function dislikedAnswer(overrides: Partial<FeedbackWithAnswer> = {}): FeedbackWithAnswer {
  return {
    id: 1,
    reaction: 'dislike',
    comment: 'Too vague',
    messageId: 'msg-1',
    conversationId: 'conv-1',
    tenantId: 'tenant-a',
    userId: 'user-1',
    createdAt: '2025-03-10T09:30:00.000Z',
    linked: true,
    answer: {
      messageId: 'msg-1',
      conversationId: 'conv-1',
      tenantId: 'tenant-a',
      userId: 'user-1',
      question: 'How many PTO days do I get?',
      answer: 'Full-time employees receive 25 days of PTO per year [1].',
      sources: [{ position: 1, title: 'Time Off Policy', url: 'https://contoso.example/time-off' }],
      createdAt: '2025-03-10T09:00:00.000Z',
    },
    ...overrides,
  };
}
