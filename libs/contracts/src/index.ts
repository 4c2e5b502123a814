export { type CloudEvent, cloudEventSchema, type NewEventOptions, newCloudEvent } from "./envelope.ts";
export {
  datasetNameSchema,
  InvalidNameError,
  isValidName,
  namespaceSchema,
  parseDatasetName,
  parseName,
  serviceNameSchema,
} from "./names.ts";
export {
  dlqSubject,
  EVENT_TYPES,
  type EventType,
  eventFilter,
  eventSubject,
  isEventType,
  type ParsedSubject,
  parseEventSubject,
} from "./subjects.ts";
export { type ParseEventResult, eventSchemas, parseEvent } from "./events.ts";
