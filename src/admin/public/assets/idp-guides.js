// @ts-check

/**
 * What to do in each identity provider's console, in that console's own words. In the texts,
 * `**…**` is a name the console shows (a menu, a button, a field), and `{{acsUrl}}`, `{{entityId}}`
 * or `{{metadataUrl}}` is a value of this service to paste there, shown with a copy button.
 *
 * @typedef {'acsUrl' | 'entityId' | 'metadataUrl'} ServiceProviderValue
 * @typedef {'upload' | 'paste' | 'url' | 'manual'} MetadataMethod
 * @typedef {{
 *   id: string,
 *   name: string,
 *   createApp: string[],
 *   attributes: {
 *     where: string,
 *     nameColumn: string,
 *     sourceColumn: string,
 *     sources: { email: string, firstName: string, lastName: string, groups: string },
 *     after?: string,
 *   },
 *   assign: string,
 *   metadata: { method: MetadataMethod, where: string },
 *   groups: string,
 * }} IdpGuide
 */

/** @type {IdpGuide[]} */
export const IDP_GUIDES = [
  {
    id: 'okta',
    name: 'Okta',
    createApp: [
      'In the **Okta Admin Console**, go to **Applications** > **Applications** and choose **Create App Integration**.',
      'Select **SAML 2.0** as the **Sign-in method** and choose **Next**.',
      'On **General Settings**, enter an **App name** (the name your users will see on their Okta dashboard) and choose **Next**.',
      'On **Configure SAML**, paste this into **Single sign-on URL**, and keep **Use this for Recipient URL and Destination URL** checked: {{acsUrl}}',
      'Paste this into **Audience URI (SP Entity ID)**: {{entityId}}',
      'Set **Name ID format** to **EmailAddress** and **Application username** to **Email**.',
    ],
    attributes: {
      where:
        "Still on **Configure SAML**, under **Attribute Statements (optional)**, add one row for each of the first three attributes below, with **Name format** **Unspecified**. For the groups, under **Group Attribute Statements (optional)**, enter the name **User.groups** and set the **Filter** to **Matches regex** with the value .* (dot, star), which sends all of the user's groups.",
      nameColumn: 'Name',
      sourceColumn: 'Value',
      sources: { email: 'user.email', firstName: 'user.firstName', lastName: 'user.lastName', groups: 'Filter: Matches regex .*' },
      after: "Choose **Next**, select **I'm an Okta customer adding an internal app**, and choose **Finish**.",
    },
    assign: "On the app's **Assignments** tab, choose **Assign** > **Assign to Groups** (or **Assign to People**) and add everyone who may sign in.",
    metadata: {
      method: 'url',
      where: "On the app's **Sign On** tab, under **SAML 2.0**, copy the **Metadata URL** and paste it below. The service fetches it again every day, so Okta's certificate changes need nothing from you.",
    },
    groups: 'Okta sends the names of the Okta groups that match the filter, such as Engineering.',
  },
  {
    id: 'entra',
    name: 'Microsoft Entra ID',
    createApp: [
      'In the **Microsoft Entra admin center**, go to **Entra ID** > **Enterprise apps** (in older menus: **Identity** > **Applications** > **Enterprise applications**) and choose **New application**.',
      "Choose **Create your own application**, enter a name, select **Integrate any other application you don't find in the gallery (Non-gallery)**, and choose **Create**.",
      'In the new application, open **Single sign-on** and choose **SAML**.',
      'In **Basic SAML Configuration**, choose **Edit**. Under **Identifier (Entity ID)**, choose **Add identifier** and paste: {{entityId}}',
      'Under **Reply URL (Assertion Consumer Service URL)**, choose **Add reply URL** and paste this, then choose **Save**: {{acsUrl}}',
    ],
    attributes: {
      where:
        'In **Attributes & Claims**, choose **Edit**. For each of the first three rows below, choose **Add new claim**, enter the **Name**, leave **Namespace** empty and pick the **Source attribute**. For the groups, choose **Add a group claim**, select **Groups assigned to the application**, and under **Advanced options** check **Customize the name of the group claim** and enter the name **User.groups**.',
      nameColumn: 'Name',
      sourceColumn: 'Source attribute',
      sources: { email: 'user.mail', firstName: 'user.givenname', lastName: 'user.surname', groups: 'user.groups (Add a group claim)' },
    },
    assign: 'In the application\'s **Users and groups**, choose **Add user/group** and add everyone who may sign in.',
    metadata: {
      method: 'url',
      where: 'In **SAML Certificates**, copy the **App Federation Metadata Url** and paste it below (or download the **Federation Metadata XML** and upload that file). With the URL, the service picks up Entra ID\'s new certificates by itself.',
    },
    groups: 'Entra ID sends each group\'s **Object ID** (such as 5e8b7c1a-…) unless the group claim uses **sAMAccountName** or **Cloud-only group display names**: find the Object ID under **Groups** in the admin center.',
  },
  {
    id: 'google',
    name: 'Google Workspace',
    createApp: [
      'In the **Google Admin console**, go to **Apps** > **Web and mobile apps**, choose **Add app** and then **Add custom SAML app**.',
      'Enter an **App name** and choose **Continue**.',
      'On **Google Identity Provider details**, choose **Download metadata** (you upload this file in the next step), then choose **Continue**.',
      'On **Service provider details**, paste this into **ACS URL**: {{acsUrl}}',
      'Paste this into **Entity ID**: {{entityId}}',
      'Set **Name ID format** to **EMAIL** and **Name ID** to **Basic Information > Primary email**, then choose **Continue**.',
    ],
    attributes: {
      where:
        'On **Attribute mapping**, choose **Add mapping** for each of the first three rows: pick the **Google Directory attributes** value and type the **App attributes** name. For the groups, under **Group membership (optional)**, pick the groups to send and enter **User.groups** as the **App attribute**. Then choose **Finish**.',
      nameColumn: 'App attributes',
      sourceColumn: 'Google Directory attributes',
      sources: {
        email: 'Basic Information > Primary email',
        firstName: 'Basic Information > First name',
        lastName: 'Basic Information > Last name',
        groups: 'Group membership (the groups you pick)',
      },
    },
    assign: "Open the app's **User access**, choose **ON for everyone** (or turn it on for the organizational units that may sign in) and **Save**. Google can take a few minutes to apply it.",
    metadata: {
      method: 'upload',
      where: 'Upload the **GoogleIDPMetadata.xml** file you downloaded on **Google Identity Provider details**. Lost it? Open the app in the Admin console and choose **Download metadata**.',
    },
    groups: 'Google sends the names of the groups you picked under **Group membership** that the user belongs to (75 at the most), such as Engineering. After renaming a group in Google, pick it there again.',
  },
  {
    id: 'onelogin',
    name: 'OneLogin',
    createApp: [
      'In the **OneLogin** administration, go to **Applications** > **Applications** and choose **Add App**.',
      'Search for **SAML Custom Connector (Advanced)**, select it, enter a **Display Name** and choose **Save**.',
      'On the **Configuration** tab, paste this into **Audience (EntityID)**: {{entityId}}',
      'Paste this into **Recipient** and **ACS (Consumer) URL**, and into **ACS (Consumer) URL Validator** too (OneLogin reads that field as a regular expression; the address as it is works there): {{acsUrl}}',
      'Set **SAML initiator** to **Service Provider**, **SAML nameID format** to **Email** and **SAML signature element** to **Both**, then choose **Save**.',
    ],
    attributes: {
      where:
        'On the **Parameters** tab, choose **+** for each row below: enter the **Field name**, check **Include in SAML assertion** (for the groups, also **Multi-value parameter**), choose **Save**, pick the **Value** and choose **Save** again.',
      nameColumn: 'Field name',
      sourceColumn: 'Value',
      sources: { email: 'Email', firstName: 'First Name', lastName: 'Last Name', groups: 'User Roles' },
    },
    assign: 'Give the app to everyone who may sign in: on **Users** > **Roles**, add the app to their roles (or add it to single users on their **Applications** tab).',
    metadata: {
      method: 'url',
      where: 'On the **SSO** tab, set **SAML Signature Algorithm** to **SHA-256**, then copy the **Issuer URL** (it serves the metadata) and paste it below. You can also choose **More Actions** > **SAML Metadata** to download the file.',
    },
    groups: 'With **User Roles** as the value, OneLogin sends the names of the user\'s OneLogin roles.',
  },
  {
    id: 'jumpcloud',
    name: 'JumpCloud',
    createApp: [
      'In the **JumpCloud Admin Portal**, go to **SSO Applications** (under **User Authentication**), choose **+ Add New Application** and select **Custom Application**.',
      'Select **Manage Single Sign-On (SSO)** and **Configure SSO with SAML**, enter a **Display Label**, choose **Save Application** and then **Configure Application**.',
      'On the **SSO** tab, enter an **IdP Entity ID** of your choice that no other JumpCloud app uses, such as your company name followed by -sso.',
      'Paste this into **SP Entity ID**: {{entityId}}',
      'Paste this into **ACS URLs** (the **Default URL**): {{acsUrl}}',
      'Set **SAMLSubject NameID** to **email**, **SAMLSubject NameID Format** to **urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress**, **Signature Algorithm** to **RSA-SHA256**, and check **Sign Assertion**.',
    ],
    attributes: {
      where:
        'Under **Attributes**, choose **add attribute** for each of the first three rows: the **Service Provider Attribute Name** and the **JumpCloud Attribute Name**. For the groups, check **include group attribute** and enter **User.groups**. Then choose **activate**.',
      nameColumn: 'Service Provider Attribute Name',
      sourceColumn: 'JumpCloud Attribute Name',
      sources: { email: 'email', firstName: 'firstname', lastName: 'lastname', groups: 'include group attribute' },
    },
    assign: "On the app's **User Groups** tab, select the groups whose members may sign in, and choose **save**.",
    metadata: {
      method: 'upload',
      where: 'Open the app again and, on the **SSO** tab, choose **Export Metadata**; upload that file below.',
    },
    groups: 'JumpCloud sends the names of the user groups bound to the app, such as Engineering.',
  },
  {
    id: 'adfs',
    name: 'Microsoft AD FS',
    createApp: [
      'In **AD FS Management**, right-click **Relying Party Trusts** and choose **Add Relying Party Trust…**, then **Claims aware** and **Start**.',
      'Choose **Import data about the relying party published online or on a local network** and paste this into **Federation metadata address (host name or URL)**. It brings in the URLs and this service\'s certificate at once: {{metadataUrl}}',
      'Enter a **Display name**, choose the access control policy **Permit everyone** (or one that permits the group who may sign in), and finish the wizard.',
      'If your AD FS server cannot reach that address, choose **Enter data about the relying party manually** instead: check **Enable support for the SAML 2.0 WebSSO protocol**, paste this into **Relying party SAML 2.0 SSO service URL** (the trust\'s **Endpoints** tab then lists it as the **SAML Assertion Consumer** endpoint, binding **POST**): {{acsUrl}}',
      '…add this as the **Relying party trust identifier**: {{entityId}}',
      "…and on the trust's **Signature** tab, add this service's certificate (download it below).",
    ],
    attributes: {
      where:
        'Select the trust, choose **Edit Claim Issuance Policy…** > **Add Rule…** > **Send LDAP Attributes as Claims**, and pick **Active Directory** as the **Attribute store**. For each row below, pick the **LDAP Attribute** and type the name into **Outgoing Claim Type**. Add one more row: **E-Mail-Addresses** to **E-Mail Address** (picked from the list), which the rule after this one turns into the Name ID.',
      nameColumn: 'Outgoing Claim Type',
      sourceColumn: 'LDAP Attribute',
      sources: { email: 'E-Mail-Addresses', firstName: 'Given-Name', lastName: 'Surname', groups: 'Token-Groups - Unqualified Names' },
      after: 'Then choose **Add Rule…** again and **Transform an Incoming Claim**, and set **Incoming claim type** to **E-Mail Address**, **Outgoing claim type** to **Name ID** and **Outgoing name ID format** to **Email**. This rule reads the E-Mail Address claim of the first one, which is why that one sends it.',
    },
    assign: "Who may sign in is the trust's access control policy (**Edit Access Control Policy…**).",
    metadata: {
      method: 'url',
      where: 'Your AD FS metadata is at https://your-adfs-host/FederationMetadata/2007-06/FederationMetadata.xml (with your AD FS host name): paste that address below, or save the file and upload it.',
    },
    groups: 'AD FS sends the names of the Active Directory groups, such as Domain Admins.',
  },
  {
    id: 'saml',
    name: 'Another SAML 2.0 identity provider',
    createApp: [
      'In your identity provider, create a SAML 2.0 application (also called a service provider, relying party or custom SAML app). If it can import service provider metadata, give it this address and skip to the attributes: {{metadataUrl}}',
      'Otherwise, enter the **ACS URL** (also called Reply URL, Single sign-on URL or Assertion Consumer Service URL): {{acsUrl}}',
      '…and the **Entity ID** (also called Audience, Audience URI or Identifier): {{entityId}}',
      "Send the user's email address as the **NameID** (format emailAddress), and sign the assertion (or the response) with **RSA-SHA256**. This service signs its sign-in requests; if your identity provider wants its certificate, download it below.",
    ],
    attributes: {
      where: 'Add these attributes to the assertion, with exactly these names:',
      nameColumn: 'Attribute name',
      sourceColumn: 'Value',
      sources: { email: "the user's email address", firstName: "the user's first name", lastName: "the user's last name", groups: "the user's groups (one value each)" },
    },
    assign: 'Give the application to the users or groups who may sign in.',
    metadata: {
      method: 'upload',
      where: "Export your identity provider's metadata (an XML file, or an address that serves it) and add it below. If it has none, enter its entity ID, single sign-on URL and signing certificate by hand.",
    },
    groups: 'Use the group names exactly as your identity provider sends them in User.groups.',
  },
];

/** @param {string | null | undefined} id */
export function guideFor(id) {
  return IDP_GUIDES.find((guide) => guide.id === id) ?? null;
}
