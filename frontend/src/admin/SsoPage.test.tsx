import { afterEach, describe, expect, it, vi } from "vitest";
import { render, screen } from "../test/render";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { SsoPage, ssoToken } from "./SsoPage";
import { adminSession } from "../api/session";

afterEach(() => {
  vi.unstubAllGlobals();
  adminSession.clear();
});

function Where() {
  const l = useLocation();
  return <p data-testid="where">{`${l.pathname}${l.search}${l.hash}`}</p>;
}

function renderAt(url: string) {
  render(
    <MemoryRouter initialEntries={[url]}>
      <Routes>
        <Route path="/admin/sso" element={<SsoPage />} />
        <Route path="*" element={<Where />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe("Single sign-on landing (/admin/sso#access_token=…)", () => {
  it("reads the token from the fragment", () => {
    expect(ssoToken("#access_token=eyJ.x.y&expires_in=43200")).toBe("eyJ.x.y");
    expect(ssoToken("#expires_in=43200")).toBeNull();
    expect(ssoToken("")).toBeNull();
  });

  it("stores the session as a password sign-in does, drops the fragment and goes into the console", async () => {
    renderAt("/admin/sso#access_token=sso-jwt&expires_in=43200");
    expect((await screen.findByTestId("where")).textContent).toBe("/admin");
    expect(adminSession.get()).toBe("sso-jwt");
    expect(window.sessionStorage.getItem("sp.admin.session")).toBe("sso-jwt");
  });

  it("goes back where sign-in started", async () => {
    window.sessionStorage.setItem("sp.admin.sso.next", "/admin/acme/account");
    renderAt("/admin/sso#access_token=sso-jwt&expires_in=43200");
    expect((await screen.findByTestId("where")).textContent).toBe("/admin/acme/account");
    expect(window.sessionStorage.getItem("sp.admin.sso.next")).toBeNull();
  });

  it("without a token: back to sign in, saying so", async () => {
    renderAt("/admin/sso");
    const where = (await screen.findByTestId("where")).textContent ?? "";
    expect(where.startsWith("/admin/login?sso_error=")).toBe(true);
    expect(adminSession.get()).toBeNull();
  });
});
