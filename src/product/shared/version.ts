/**
 * The product's version, as `package.json` gives it (a test holds the two equal). A constant rather
 * than a read of `package.json`: the built `dist/` layout would make the path fragile, and ESM offers
 * no import-time JSON read that both tsc and Node take without flags.
 */
export const PRODUCT_VERSION = '0.1.0';
