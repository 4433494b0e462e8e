export * from "./common-schemas.ts";
export * from "./openapi.ts";
export * from "./roles.ts";
export * from "./route-table.ts";
