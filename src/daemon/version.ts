/** The Lantern version every component reports. */
export const VERSION = '0.1.0';
