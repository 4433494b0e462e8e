import type { AclEntry, AclOperationTypes, AclPermissionTypes, ResourcePatternTypes } from "kafkajs";
import type { AclPatternType, AclPermission, TopicAclBinding } from "../acls/topic-acl-plan.ts";

/*
 * kafkajs's ACL enums by value (its CommonJS enums are not importable by name from ESM), mapped to
 * Kafka's names, which the plan, the API and the UI use.
 */
const OPERATIONS = [
  "UNKNOWN",
  "ANY",
  "ALL",
  "READ",
  "WRITE",
  "CREATE",
  "DELETE",
  "ALTER",
  "DESCRIBE",
  "CLUSTER_ACTION",
  "DESCRIBE_CONFIGS",
  "ALTER_CONFIGS",
  "IDEMPOTENT_WRITE",
] as const;
const PATTERNS: AclPatternType[] = ["UNKNOWN", "ANY", "MATCH", "LITERAL", "PREFIXED"];
const PERMISSIONS: Record<number, AclPermission> = { 2: "DENY", 3: "ALLOW" };

/** `AclResourceTypes.TOPIC`. */
export const TOPIC_ACL_RESOURCE = 2;
/** `ResourcePatternTypes.ANY`, `AclOperationTypes.ANY`, `AclPermissionTypes.ANY`: match everything. */
export const ANY_ACL = 1;

export function fromKafkajsAcl(
  resource: { resourceName: string; resourcePatternType: number },
  acl: { principal: string; host: string; operation: number; permissionType: number },
): TopicAclBinding | null {
  const permission = PERMISSIONS[acl.permissionType];
  const operation = OPERATIONS[acl.operation];
  if (permission === undefined || operation === undefined) return null;
  return {
    topic: resource.resourceName,
    patternType: PATTERNS[resource.resourcePatternType] ?? "UNKNOWN",
    principal: acl.principal,
    host: acl.host,
    operation,
    permission,
  };
}

export function toKafkajsAcl(binding: TopicAclBinding): AclEntry {
  const operation = OPERATIONS.indexOf(binding.operation as (typeof OPERATIONS)[number]);
  const pattern = PATTERNS.indexOf(binding.patternType);
  if (operation < 2 || pattern < 3) {
    throw new RangeError(
      `not an ACL binding that can be created: ${binding.operation} on ${binding.patternType}`,
    );
  }
  return {
    resourceType: TOPIC_ACL_RESOURCE,
    resourceName: binding.topic,
    resourcePatternType: pattern as ResourcePatternTypes,
    principal: binding.principal,
    host: binding.host,
    operation: operation as AclOperationTypes,
    permissionType: (binding.permission === "ALLOW" ? 3 : 2) as AclPermissionTypes,
  };
}
