import { AppError } from "@mirrordeck/contracts";
import { updateUser } from "@mirrordeck/db";
import { hashPassword } from "@mirrordeck/security";
import { database } from "@/lib/server/database.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { toUserView } from "@/lib/server/user-view.ts";

export const dynamic = "force-dynamic";

export const PATCH = defineRoute("users.update", async ({ params, body, principal, audit }) => {
  audit.targetId = params.id;
  if (
    principal.kind === "user" &&
    principal.id === params.id &&
    (body.disabled === true || (body.role !== undefined && body.role !== "ADMIN"))
  ) {
    throw new AppError("CONFLICT", "You cannot disable or demote yourself; ask another admin.");
  }
  const result = await updateUser(database(), params.id, {
    ...(body.role !== undefined && { role: body.role }),
    ...(body.disabled !== undefined && { disabled: body.disabled }),
    ...(body.password !== undefined && { passwordHash: await hashPassword(body.password) }),
  });
  if (!result.ok) {
    if (result.reason === "last-admin") {
      throw new AppError("CONFLICT", "This is the last enabled admin; make another admin first.");
    }
    throw new AppError("NOT_FOUND", `No user with id ${params.id}.`);
  }
  audit.details = { changed: Object.keys(body) };
  return Response.json(toUserView(result.user));
});
