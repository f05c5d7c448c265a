/** The label and annotations the queue controller reads and writes on Jobs (no schema, so lcctl can load them cheaply). */

/** The label a Job names its Queue with; such a Job is created suspended and admitted by the queue controller. */
export const QUEUE_NAME_LABEL = 'lantern.dev/queue-name';
/** Set by the queue controller when it admits (unsuspends) a Job. */
export const ADMITTED_AT_ANNOTATION = 'lantern.dev/admitted-at';
/** Set by the queue controller on a Job that waits: why, in words. */
export const QUEUE_WAITING_ANNOTATION = 'lantern.dev/queue-waiting';
