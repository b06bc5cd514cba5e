import { createContext, useContext } from "react";
import type { Me, Organization, Role } from "../api/types";

export interface AdminContextValue {
  me: Me;
  reloadMe: () => void;
  signOut: () => Promise<void>;
}

export const AdminContext = createContext<AdminContextValue | null>(null);

export function useAdmin(): AdminContextValue {
  const v = useContext(AdminContext);
  if (!v) throw new Error("useAdmin outside the admin console");
  return v;
}

export interface OrgContextValue {
  org: Organization;
  role: Role;
  /** Publishers and admins upload, publish and withdraw, and edit the catalogue. */
  canPublish: boolean;
  /** Admins manage members, API keys, the portal and its access tokens. */
  isAdmin: boolean;
}

export const OrgContext = createContext<OrgContextValue | null>(null);

export function useOrg(): OrgContextValue {
  const v = useContext(OrgContext);
  if (!v) throw new Error("useOrg outside an organisation");
  return v;
}
