/** The image scanner's public surface: database, scan, reports. */
export { importDb, dbStatus, loadDb, readSource, type DbStatus } from './db.js';
export { AdvisoryIndex } from './match.js';
export { scanArchive, scanFiles, findingCount, type ScanFilter } from './scan.js';
export { jsonReport } from './output/json.js';
export { tableReport } from './output/table.js';
export { sarifReport } from './output/sarif.js';
export { cyclonedxReport } from './output/cyclonedx.js';
export { SEVERITIES, type Severity, type ScanResult } from './types.js';
