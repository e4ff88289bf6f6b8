import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A relying party of the OpenID provider (one of the platform's own apps). Its secret is kept sealed, never in the clear. */
@Entity('oauth_clients')
export class OAuthClientEntity {
  @PrimaryColumn('text', { name: 'client_id' }) clientId!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'client_secret_sealed' }) clientSecretSealed!: string;
  /** Kept exactly as registered: the provider compares redirect URIs as strings. */
  @Column('jsonb', { name: 'redirect_uris' }) redirectUris!: string[];
  @Column('jsonb', { name: 'post_logout_redirect_uris' }) postLogoutRedirectUris!: string[];
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
}
