"use client";

import { type RoleName, roleAtLeast } from "@mirrordeck/contracts";
import { useQuery } from "@tanstack/react-query";
import { api } from "./api-client.ts";

/** The signed-in principal; `can(role)` hides what the API would refuse anyway. */
export function useMe() {
  const query = useQuery({ queryKey: ["me"], queryFn: api.me, staleTime: 60_000 });
  const role = query.data?.role ?? null;
  return {
    me: query.data ?? null,
    can: (required: RoleName) => role !== null && roleAtLeast(role, required),
  };
}
