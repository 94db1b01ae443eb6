-- The email outbox (src/platform/mail): invitations, password resets and notifications are written here
-- inside the transaction of the change that causes them, and sent later by `deliverPending` on any
-- instance (rows are claimed with `for update skip locked` and a lease, so no two instances send the
-- same row at once).
-- The recipient (a staff member's address: personal data of staff) and the body (it holds a
-- single-use link: a secret) are stored only encrypted (AES-256-GCM, shared data key, AAD
-- `email_outbox|<id>|recipient` and `email_outbox|<id>|body_text`). The body is erased once the email is
-- sent or given up. Nothing about a young person is ever in an email: subjects are fixed per template.

create table email_outbox (
  id uuid primary key,
  template text not null check (template ~ '^[a-z][a-z0-9_]{0,62}$'),
  recipient bytea not null check (length(recipient) > 0),
  subject text not null check (subject <> '' and subject !~ '[\r\n]'),
  body_text bytea check (length(body_text) > 0),
  created_at timestamptz not null default now(),
  send_after timestamptz not null default now(),
  attempts integer not null default 0 check (attempts >= 0),
  last_error text check (length(last_error) <= 1000),
  locked_until timestamptz,
  sent_at timestamptz,
  status text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
  constraint email_outbox_sent_at check ((status = 'sent') = (sent_at is not null)),
  constraint email_outbox_lease check ((status = 'sending') = (locked_until is not null)),
  constraint email_outbox_body_until_done check ((status in ('pending', 'sending')) = (body_text is not null))
);

comment on table email_outbox is
  'Emails waiting to be sent, being sent, sent or given up. Never personal data about young people.';
comment on column email_outbox.recipient is 'Encrypted (shared data key): the staff member''s address.';
comment on column email_outbox.body_text is
  'Encrypted (shared data key) plain-text body with its single-use link; erased once sent or failed.';
comment on column email_outbox.send_after is 'Not sent before this time: the first try, then each retry (exponential backoff).';
comment on column email_outbox.attempts is 'Delivery attempts started so far.';
comment on column email_outbox.last_error is 'Why the last attempt failed, without the recipient address.';
comment on column email_outbox.locked_until is
  'While sending: the lease of the instance sending it. Past it, another instance may take the row over.';

create index email_outbox_due on email_outbox (send_after) where status = 'pending';
create index email_outbox_leased on email_outbox (locked_until) where status = 'sending';
