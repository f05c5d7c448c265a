/** A patch that cannot be applied: the message names the operation or path, as kube-apiserver's do. */
export class PatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PatchError';
  }
}
