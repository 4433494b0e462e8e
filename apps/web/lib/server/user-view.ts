import type { User } from "@mirrordeck/db";

/** A user as the API shows them (never the password hash). */
export function toUserView(user: User) {
  return {
    id: user.id,
    email: user.email,
    role: user.role,
    disabled: user.disabledAt !== null,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
    createdAt: user.createdAt.toISOString(),
  };
}
