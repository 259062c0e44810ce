// The team URL's password rules live with the team store, beside the redaction of the same password.
export { urlHoldsPassword } from '@agent-tracker/postgres-store/url'
