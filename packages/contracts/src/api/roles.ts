import { z } from "zod";

/** viewer < operator < admin, as stored (upper case). */
export const roleSchema = z.enum(["VIEWER", "OPERATOR", "ADMIN"]);
export type RoleName = z.infer<typeof roleSchema>;

const RANK: Record<RoleName, number> = { VIEWER: 0, OPERATOR: 1, ADMIN: 2 };

/** True when `role` may do what `required` may. */
export function roleAtLeast(role: RoleName, required: RoleName): boolean {
  return RANK[role] >= RANK[required];
}
