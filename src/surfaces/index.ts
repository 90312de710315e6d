/**
 * The assistant outside Teams: the in-process adapter and channel the terminal and web surfaces run turns
 * through, and the sink-backed streamer they answer with.
 */
export * from './inProcess';
