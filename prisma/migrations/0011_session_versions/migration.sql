-- AlterTable
ALTER TABLE "users" ADD COLUMN     "session_version" INTEGER NOT NULL DEFAULT 0;


-- Failed sign-ins are now counted per account ("account:<e-mail>") and per client address
-- ("address:<address>"); rows of the former "<e-mail>|<address>" keys would never be read again.
DELETE FROM "login_failures";
