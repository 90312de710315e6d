import type { MessageKey } from './en';

/** Spanish messages ("tú" towards the user, as in Microsoft's Spanish style). */
export const es: Record<MessageKey, string> = {
  'informative.start': 'Pensando en tu pregunta...',
  'informative.tool.search_knowledge': 'Buscando en la base de conocimientos...',
  'informative.tool.create_work_item': 'Creando el elemento de trabajo...',
  'informative.tool.find_work_items': 'Buscando elementos de trabajo...',
  'informative.tool.update_work_item': 'Actualizando el elemento de trabajo...',
  'informative.tool.close_work_items': 'Preparando el cambio para tu confirmación...',
  'tool.close_work_items': 'Cerrar elementos de trabajo',
  'confirm.title.close_work_items': '¿Cerrar {count} elemento(s) de trabajo?',
  'confirm.intro': 'Nada cambia hasta que pulses Confirmar. Esta solicitud caduca en {minutes} minutos.',
  'confirm.button.confirm': 'Confirmar',
  'confirm.button.cancel': 'Cancelar',
  'confirm.done': 'Hecho: se aplicó el cambio.',
  'confirm.cancelled': 'Cancelado: no se cambió nada.',
  'confirm.expired': 'Esta solicitud caducó: no se cambió nada. Vuelve a pedirlo si todavía lo quieres.',
  'confirm.unknown': 'Esta solicitud ya no está pendiente: no se cambió nada.',
  'confirm.notRequester': 'Solo la persona que pidió este cambio puede confirmarlo o cancelarlo.',
  'confirm.title.update_work_item': '¿Cambiar {count} elemento(s) de trabajo?',
  'confirm.field.title': 'Título',
  'confirm.field.description': 'Descripción',
  'confirm.field.status': 'Estado',
  'confirm.field.assignee': 'Asignado a',
  'confirm.field.dueDate': 'Fecha de vencimiento',
  'confirm.empty': '(ninguno)',
  'confirm.partial': 'Hecho en parte: los elementos marcados como omitidos no se cambiaron.',
  'confirm.nothingApplied': 'No se cambió nada: otra persona cambió o eliminó los elementos mientras tanto.',
  'confirm.item.applied': 'cambiado',
  'confirm.item.missing': 'omitido, ya no existe',
  'confirm.item.changedSince': 'omitido, se cambió mientras tanto',
  'informative.tool.other': 'Trabajando en ello...',

  'error.model':
    'Lo siento, no he podido obtener una respuesta del modelo de lenguaje en este momento. Vuelve a intentarlo en unos instantes.',
  'error.generic': 'Lo siento, algo salió mal al responder. Vuelve a intentarlo.',
  'error.reference': '(id. de error: {id})',

  'notice.partial': '(La respuesta quedó incompleta porque el modelo dejó de responder).',
  'notice.interrupted':
    '(Esta respuesta se interrumpió porque el asistente se reinició. Vuelve a preguntar).',
  'notice.stopped': '[detenido por el usuario]',
  'admission.busy': 'Estoy respondiendo muchas preguntas en este momento. Vuelva a intentarlo en un momento.',
  'admission.tooFast':
    'Está enviando mensajes más rápido de lo que puedo responder. Espere {seconds} segundos y vuelva a intentarlo.',
  'notice.offline':
    'Respuesta del modelo sin conexión integrado (no hay ningún modelo de lenguaje configurado).',

  'card.title': 'Acerca de esta respuesta',
  'card.sources': 'Fuentes',
  'card.tools': 'Herramientas usadas',
  'card.followUps': 'Puedes preguntar',
  'card.noSources': 'No se usó ninguna fuente.',

  'tool.search_knowledge': 'Búsqueda en la base de conocimientos',
  'tool.create_work_item': 'Crear elemento de trabajo',
  'tool.find_work_items': 'Buscar elementos de trabajo',
  'tool.update_work_item': 'Actualizar elemento de trabajo',

  'followUp.moreAbout': 'Cuéntame más sobre {title}',
  'followUp.myWorkItems': 'Muestra los elementos de trabajo de este chat',
  'followUp.openItems': '¿Qué elementos de trabajo siguen abiertos?',
  'followUp.searchRelated': '¿Qué más debería saber sobre {topic}?',

  welcome: [
    '¡Hola! Soy tu asistente de equipo. Esto es lo que puedo hacer por ti:',
    '',
    '- **Buscar en la base de conocimientos** y responder con las fuentes que he usado',
    '- **Crear elementos de trabajo**, por ejemplo: "Crea una tarea para actualizar la guía de incorporación"',
    '- **Buscar elementos de trabajo**, por ejemplo: "¿Qué elementos de trabajo siguen abiertos?"',
    '- **Actualizar elementos de trabajo**, por ejemplo: "Marca el elemento de trabajo 12 como terminado"',
    '',
    'Pregunta con tus propias palabras.',
  ].join('\n'),
};
