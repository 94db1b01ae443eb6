-- Two-step enrolment keeps the key a person is about to scan: reloading the page or one wrong code must
-- not replace a key they may already have added to their app. The pending key expires an hour after it
-- was made (then a new one is shown).

alter table staff_users add column totp_pending_since timestamptz;
