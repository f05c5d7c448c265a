/** Labels and annotations of a Job's pods (Kubernetes' names), shared by the kind, controller and CLI. */
export const JobLabels = {
  jobName: 'batch.kubernetes.io/job-name',
  legacyJobName: 'job-name',
  controllerUid: 'batch.kubernetes.io/controller-uid',
  legacyControllerUid: 'controller-uid',
  completionIndex: 'batch.kubernetes.io/job-completion-index',
  /** On a replacement pod of an index: how many pods of that index failed before it. */
  indexFailureCount: 'batch.kubernetes.io/job-index-failure-count',
} as const;

/** The environment variable an Indexed Job's container reads its index from. */
export const completionIndexEnv = 'JOB_COMPLETION_INDEX';
