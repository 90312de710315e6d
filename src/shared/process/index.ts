// Who this process is among the bot's processes on one database.
export { PROCESS_INSTANCE_ID } from './instanceId';
