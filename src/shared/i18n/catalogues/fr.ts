import type { MessageKey } from './en';

/**
 * French messages ("vous" towards the user; follow-up questions are phrased as the user's own words).
 * French typography puts a no-break space (U+00A0) before "?".
 */
export const fr: Record<MessageKey, string> = {
  'informative.start': 'Je réfléchis à votre question...',
  'informative.tool.search_knowledge': 'Recherche dans la base de connaissances...',
  'informative.tool.create_work_item': "Création de l'élément de travail...",
  'informative.tool.find_work_items': 'Recherche des éléments de travail...',
  'informative.tool.update_work_item': "Mise à jour de l'élément de travail...",
  'informative.tool.close_work_items': 'Je prépare la modification pour votre confirmation...',
  'tool.close_work_items': 'Fermer des éléments de travail',
  'confirm.title.close_work_items': 'Fermer {count} élément(s) de travail ?',
  'confirm.intro':
    "Rien ne change tant que vous n'avez pas cliqué sur Confirmer. Cette demande expire dans {minutes} minutes.",
  'confirm.button.confirm': 'Confirmer',
  'confirm.button.cancel': 'Annuler',
  'confirm.done': 'Terminé : la modification a été appliquée.',
  'confirm.cancelled': "Annulé : rien n'a été modifié.",
  'confirm.expired':
    "Cette demande a expiré : rien n'a été modifié. Redemandez si vous le souhaitez toujours.",
  'confirm.unknown': "Cette demande n'est plus en attente : rien n'a été modifié.",
  'confirm.notRequester':
    'Seule la personne qui a demandé cette modification peut la confirmer ou l’annuler.',
  'confirm.title.update_work_item': 'Modifier {count} élément(s) de travail ?',
  'confirm.field.title': 'Titre',
  'confirm.field.description': 'Description',
  'confirm.field.status': 'Statut',
  'confirm.field.assignee': 'Attribué à',
  'confirm.field.dueDate': 'Échéance',
  'confirm.empty': '(aucun)',
  'confirm.partial': "Partiellement terminé : les éléments marqués comme ignorés n'ont pas été modifiés.",
  'confirm.nothingApplied':
    "Rien n'a été modifié : les éléments ont été modifiés par quelqu'un d'autre ou supprimés entre-temps.",
  'confirm.item.applied': 'modifié',
  'confirm.item.missing': "ignoré, il n'existe plus",
  'confirm.item.changedSince': 'ignoré, il a été modifié entre-temps',
  'informative.tool.other': "Je m'en occupe...",

  'error.model':
    "Désolé, je n'ai pas pu obtenir de réponse du modèle de langage pour le moment. Veuillez réessayer dans un instant.",
  'error.generic': "Désolé, une erreur s'est produite pendant la réponse. Veuillez réessayer.",
  'error.reference': "(identifiant d'erreur : {id})",

  'notice.partial': '(La réponse a été interrompue, car le modèle a cessé de répondre.)',
  'notice.interrupted':
    "(Cette réponse a été interrompue, car l'assistant a redémarré. Veuillez reposer votre question.)",
  'notice.stopped': "[arrêté par l'utilisateur]",
  'admission.busy': 'Je réponds à beaucoup de questions en ce moment. Veuillez réessayer dans un instant.',
  'admission.tooFast':
    'Vous envoyez des messages plus vite que je ne peux répondre. Veuillez patienter {seconds} secondes puis réessayer.',
  'notice.offline':
    "Réponse fournie par le modèle hors ligne intégré (aucun modèle de langage n'est configuré).",

  'card.title': 'À propos de cette réponse',
  'card.sources': 'Sources',
  'card.tools': 'Outils utilisés',
  'card.followUps': 'Questions suivantes',
  'card.noSources': "Aucune source n'a été utilisée.",

  'tool.search_knowledge': 'Recherche dans la base de connaissances',
  'tool.create_work_item': 'Créer un élément de travail',
  'tool.find_work_items': 'Rechercher des éléments de travail',
  'tool.update_work_item': 'Mettre à jour un élément de travail',

  'followUp.moreAbout': "Dis-m'en plus sur {title}",
  'followUp.myWorkItems': 'Affiche les éléments de travail de cette conversation',
  'followUp.openItems': 'Quels éléments de travail sont encore ouverts\u00a0?',
  'followUp.searchRelated': "Que devrais-je savoir d'autre sur {topic}\u00a0?",

  welcome: [
    "Bonjour\u00a0! Je suis votre assistant d'équipe. Voici ce que je peux faire pour vous\u00a0:",
    '',
    '- **Rechercher dans la base de connaissances** et répondre en citant mes sources',
    "- **Créer des éléments de travail**, par exemple «\u00a0Crée une tâche pour mettre à jour le guide d'intégration\u00a0»",
    '- **Trouver des éléments de travail**, par exemple «\u00a0Quels éléments de travail sont encore ouverts\u00a0?\u00a0»',
    "- **Mettre à jour des éléments de travail**, par exemple «\u00a0Marque l'élément de travail 12 comme terminé\u00a0»",
    '',
    'Posez simplement votre question avec vos propres mots.',
  ].join('\n'),
};
