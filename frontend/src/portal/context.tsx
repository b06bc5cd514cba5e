import { createContext, useContext } from "react";
import type { Api } from "../api/client";
import type { PortalInfo } from "../api/types";

export interface PortalContextValue {
  slug: string;
  api: Api;
  info: PortalInfo;
  signOut: () => void;
}

export const PortalContext = createContext<PortalContextValue | null>(null);

export function usePortal(): PortalContextValue {
  const v = useContext(PortalContext);
  if (!v) throw new Error("usePortal outside a portal");
  return v;
}
