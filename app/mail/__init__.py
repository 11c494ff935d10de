"""E-mail and background jobs: the transactional outbox every area writes to.

A shared core package above accounts (it imports only app.auth and the shared core): a
message is a row written in the same transaction as the change that causes it, so a change
rolled back sends nothing and a committed one is never lost; the worker (`flask --app wsgi
worker`, app/mail/delivery.py) delivers it and retries with backoff. Areas call
`app.mail.notices.notify` and `send_to_address`; large work (a PDF) goes to `app.mail.jobs`.
"""
