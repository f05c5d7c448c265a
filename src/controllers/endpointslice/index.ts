/** The EndpointSlice controller: Services' backends as discovery.k8s.io/v1 EndpointSlices. */
export { EndpointSliceController, type EndpointSliceControllerOptions } from './controller.js';
export { planSlices, endpointOf, resolvePort, serviceSelects, controllerName } from './plan.js';
