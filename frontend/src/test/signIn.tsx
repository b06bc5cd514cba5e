import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { LoginPage } from "../admin/LoginPage";
import { render } from "./render";
import { jsonResponse } from "./util";

/** What the sign-in page loads first (for `mockRoutes`): setup is done, and there is no single sign-on. */
export const SIGN_IN_ROUTES = {
  "GET /api/v1/setup": jsonResponse({ setup_required: false }),
  "GET /api/v1/auth/methods": jsonResponse({ password: true, sso: null }),
};

/** Opens `url` with `page` at `path`, and the sign-in page where such a page leads (`/admin/login`). */
export function renderBeforeSignIn(path: string, page: ReactElement, url: string) {
  return render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path={path} element={page} />
        <Route path="/admin/login" element={<LoginPage />} />
      </Routes>
    </MemoryRouter>,
  );
}
