/** An event the domain wants delivered to the workflow engine; `id` deduplicates redelivery. */
export interface OutgoingEvent {
  id: string;
  name: string;
  data: Record<string, unknown>;
  ts: number;
}

export interface EventPublisher {
  publish(events: OutgoingEvent[]): Promise<void>;
}
