import type { TopicAclBinding } from "../acls/topic-acl-plan.ts";

/** What topic ACL sync needs of a cluster (an authorizer must be configured on it). */
export interface AclAdmin {
  /** Every ACL binding on topics (all pattern types). */
  describeTopicAcls(): Promise<TopicAclBinding[]>;
  /** Creates the bindings (a binding that exists already is no error). */
  createTopicAcls(bindings: readonly TopicAclBinding[]): Promise<void>;
}
