import { Html, html } from './html';
import type { DevUser } from './users';

export function layout(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Dev IdP</title>
<link rel="stylesheet" href="/assets/dev-idp.css">
</head>
<body>
<header><p class="brand">Dev IdP <span class="badge">for development only</span></p></header>
<main>
${body}
</main>
</body>
</html>
`.markup;
}

function userChoices(users: DevUser[]): Html {
  return html`<fieldset>
  <legend>Sign in as</legend>
  ${users.map(
    (user, index) => html`<label class="user">
    <input type="radio" name="user" value="${user.id}" ${index === 0 ? html`checked` : false}>
    <span><strong>${user.firstName} ${user.lastName}</strong> &lt;${user.email}&gt;<br>
    <small>groups: ${user.groups.join(', ')} — ${user.purpose}</small></span>
  </label>`,
  )}
</fieldset>`;
}

export function homePage(details: { entityId: string; metadataUrl: string; users: DevUser[] }): string {
  return layout(
    'Home',
    html`<h1>A local SAML identity provider</h1>
<p>Upload the file from this metadata URL in the SSO settings page, or give it the URL itself (with the service
started with <code>ALLOW_HTTP_METADATA_URLS=true</code> and <code>ALLOW_PRIVATE_METADATA_HOSTS=true</code>, as this
IdP is plain http on loopback):</p>
<p class="copyable"><a href="${details.metadataUrl}">${details.metadataUrl}</a></p>
<p>Entity ID (issuer): <code>${details.entityId}</code>. Responses and assertions are signed with RSA-SHA256.
Each user carries <code>User.Email</code>, <code>User.FirstName</code>, <code>User.LastName</code> and <code>User.groups</code>.</p>

<h2>Sign in to a service provider (IdP-initiated)</h2>
<form method="post" action="/idp-initiated">
  <label for="audience">Service provider entity ID (audience)</label>
  <input id="audience" name="audience" type="url" required placeholder="http://localhost:3000/saml/organization/…/metadata">
  <label for="acs-url">ACS URL <small>(empty: the entity ID with /metadata replaced by /acs, as this service names them)</small></label>
  <input id="acs-url" name="acsUrl" type="url" placeholder="http://localhost:3000/saml/organization/…/acs">
  <label for="relay-state">RelayState <small>(optional)</small></label>
  <input id="relay-state" name="RelayState" type="text">
  ${userChoices(details.users)}
  <button type="submit">Sign in</button>
</form>`,
  );
}

export function loginPage(details: {
  serviceProvider: string;
  acsUrl: string;
  samlRequest: string;
  relayState: string;
  users: DevUser[];
}): string {
  return layout(
    'Sign in',
    html`<h1>Sign in</h1>
<p><strong>${details.serviceProvider}</strong> asks who you are.
The signed response goes to <code>${details.acsUrl}</code>.</p>
<form method="post" action="/sso/respond">
  <input type="hidden" name="SAMLRequest" value="${details.samlRequest}">
  <input type="hidden" name="RelayState" value="${details.relayState}">
  ${userChoices(details.users)}
  <button type="submit">Sign in</button>
</form>`,
  );
}

export function errorPage(message: string): string {
  return layout('Error', html`<h1>That did not work</h1><p role="alert">${message}</p><p><a href="/">Dev IdP home</a></p>`);
}
