import type { MessageKey } from './en';

/** German messages (formal "Sie" towards the user; follow-up questions are phrased as the user's own words). */
export const de: Record<MessageKey, string> = {
  'informative.start': 'Ich denke über Ihre Frage nach...',
  'informative.tool.search_knowledge': 'Ich durchsuche die Wissensdatenbank...',
  'informative.tool.create_work_item': 'Ich lege das Arbeitselement an...',
  'informative.tool.find_work_items': 'Ich suche nach Arbeitselementen...',
  'informative.tool.update_work_item': 'Ich aktualisiere das Arbeitselement...',
  'informative.tool.close_work_items': 'Ich bereite die Änderung zur Bestätigung vor...',
  'tool.close_work_items': 'Arbeitselemente schließen',
  'confirm.title.close_work_items': '{count} Arbeitselement(e) schließen?',
  'confirm.intro':
    'Nichts ändert sich, bevor Sie auf Bestätigen klicken. Diese Anfrage läuft in {minutes} Minuten ab.',
  'confirm.button.confirm': 'Bestätigen',
  'confirm.button.cancel': 'Abbrechen',
  'confirm.done': 'Erledigt: Die Änderung wurde übernommen.',
  'confirm.cancelled': 'Abgebrochen: Es wurde nichts geändert.',
  'confirm.expired':
    'Diese Anfrage ist abgelaufen: Es wurde nichts geändert. Fragen Sie erneut, wenn Sie es noch möchten.',
  'confirm.unknown': 'Diese Anfrage steht nicht mehr aus: Es wurde nichts geändert.',
  'confirm.notRequester':
    'Nur die Person, die diese Änderung angefragt hat, kann sie bestätigen oder abbrechen.',
  'confirm.title.update_work_item': '{count} Arbeitselement(e) ändern?',
  'confirm.field.title': 'Titel',
  'confirm.field.description': 'Beschreibung',
  'confirm.field.status': 'Status',
  'confirm.field.assignee': 'Zugewiesen an',
  'confirm.field.dueDate': 'Fälligkeitsdatum',
  'confirm.empty': '(keine Angabe)',
  'confirm.partial': 'Teilweise erledigt: Die als übersprungen markierten Elemente wurden nicht geändert.',
  'confirm.nothingApplied':
    'Es wurde nichts geändert: Die Elemente wurden inzwischen von jemand anderem geändert oder entfernt.',
  'confirm.item.applied': 'geändert',
  'confirm.item.missing': 'übersprungen, es existiert nicht mehr',
  'confirm.item.changedSince': 'übersprungen, es wurde inzwischen geändert',
  'informative.tool.other': 'Einen Moment, ich arbeite daran...',

  'error.model':
    'Leider konnte ich gerade keine Antwort vom Sprachmodell erhalten. Bitte versuchen Sie es gleich noch einmal.',
  'error.generic': 'Leider ist beim Beantworten etwas schiefgegangen. Bitte versuchen Sie es noch einmal.',
  'error.reference': '(Fehler-ID: {id})',

  'notice.partial': '(Die Antwort ist unvollständig, weil das Modell nicht mehr geantwortet hat.)',
  'notice.interrupted':
    '(Diese Antwort wurde unterbrochen, weil der Assistent neu gestartet wurde. Bitte fragen Sie noch einmal.)',
  'notice.stopped': '[vom Benutzer angehalten]',
  'admission.busy': 'Ich beantworte gerade sehr viele Fragen. Bitte versuchen Sie es gleich noch einmal.',
  'admission.tooFast':
    'Sie senden Nachrichten schneller, als ich antworten kann. Bitte warten Sie {seconds} Sekunden und versuchen Sie es dann erneut.',
  'notice.offline': 'Beantwortet vom integrierten Offline-Modell (es ist kein Sprachmodell konfiguriert).',

  'card.title': 'Zu dieser Antwort',
  'card.sources': 'Quellen',
  'card.tools': 'Verwendete Tools',
  'card.followUps': 'Als Nächstes fragen',
  'card.noSources': 'Es wurden keine Quellen verwendet.',

  'tool.search_knowledge': 'Suche in der Wissensdatenbank',
  'tool.create_work_item': 'Arbeitselement erstellen',
  'tool.find_work_items': 'Arbeitselemente suchen',
  'tool.update_work_item': 'Arbeitselement aktualisieren',

  'followUp.moreAbout': 'Erzähl mir mehr über {title}',
  'followUp.myWorkItems': 'Zeig mir die Arbeitselemente in diesem Chat',
  'followUp.openItems': 'Welche Arbeitselemente sind noch offen?',
  'followUp.searchRelated': 'Was sollte ich sonst noch über {topic} wissen?',

  welcome: [
    'Hallo! Ich bin Ihr Team-Assistent. Das kann ich für Sie tun:',
    '',
    '- **Die Wissensdatenbank durchsuchen** und mit den verwendeten Quellen antworten',
    '- **Arbeitselemente erstellen**, zum Beispiel „Erstelle eine Aufgabe, um den Onboarding-Leitfaden zu aktualisieren“',
    '- **Arbeitselemente finden**, zum Beispiel „Welche Arbeitselemente sind noch offen?“',
    '- **Arbeitselemente aktualisieren**, zum Beispiel „Setze Arbeitselement 12 auf erledigt“',
    '',
    'Fragen Sie einfach in Ihren eigenen Worten.',
  ].join('\n'),
};
