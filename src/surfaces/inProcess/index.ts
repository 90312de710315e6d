export { cardTextLines } from './cardText';
export { InProcessAdapter } from './inProcessAdapter';
export {
  InProcessChannel,
  SURFACE_TENANT_ID,
  type SurfaceChannelId,
  type SurfaceConfirmationAnswer,
  type SurfaceConfirmationResult,
  type SurfaceFeedback,
  type SurfaceQuestion,
} from './inProcessChannel';
export type {
  ConfirmationField,
  ConfirmationItem,
  ConfirmationPrompt,
  SurfaceMessage,
  SurfaceSink,
  SurfaceToolCall,
  SurfaceToolResult,
  SurfaceTurnEnd,
} from './surfaceSink';
export { SurfaceStreamer, type SurfaceStreamerOptions } from './surfaceStreamer';
export { attachSurfaceTurn, surfaceTurnOf, type SurfaceTurn } from './surfaceTurn';
