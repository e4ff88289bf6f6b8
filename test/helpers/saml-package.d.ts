// auth0's `saml` package ships no typings; this covers the part the test IdP uses.
declare module 'saml' {
  export const Saml20: {
    create(
      options: Record<string, unknown>,
      callback: (error: Error | null, assertionXml?: string) => void,
    ): void;
  };
}
