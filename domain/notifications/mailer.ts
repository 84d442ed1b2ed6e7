/** The port through which workflows send email; infra/ses implements it. */
export interface OutgoingEmail {
  to: string[];
  subject: string;
  text: string;
  html?: string;
  replyTo?: string[];
}

export interface Mailer {
  /** Returns the provider's message id. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
  /** True when the provider answers; used by the health endpoint. */
  isReachable(): Promise<boolean>;
}
