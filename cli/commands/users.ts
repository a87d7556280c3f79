import { Argument, Command, Option } from "commander";
import { cliActor, roles } from "@/lib/roles";
import { changeUser, createUser, deleteUser, findUserId, listUsers, resetUserPassword } from "@/lib/users/accounts";
import { InvalidInputError } from "@/lib/errors";
import { formatTable, formatConfiguredTime, outputFormats, type OutputFormat } from "../output";
import { withServices } from "../services";

export function usersCommand(): Command {
  const users = new Command("users").description("dashboard users and their roles");

  users
    .command("create")
    .description("create a user; without --password a password is generated and printed once")
    .requiredOption("--email <email>", "e-mail address, used to sign in")
    .addOption(new Option("--role <role>", "what the user may do").choices(roles).makeOptionMandatory())
    .option("--name <name>", "display name")
    .option("--password <password>", "initial password (at least 10 characters)")
    .action(async (options: { email: string; role: (typeof roles)[number]; name?: string; password?: string }) => {
      await withServices(async ({ db }) => {
        const { user, generatedPassword } = await createUser(db, cliActor, options);
        console.log(`Created ${user.role} ${user.email} (id ${user.id})`);
        if (generatedPassword) console.log(`Password (shown only now): ${generatedPassword}`);
      });
    });

  users
    .command("list")
    .description("list users")
    .addOption(new Option("--format <format>", "output format").choices(outputFormats).default("table"))
    .action(async (options: { format: OutputFormat }) => {
      await withServices(async ({ db }) => {
        const all = await listUsers(db, cliActor);
        if (options.format === "json") {
          console.log(JSON.stringify(all, null, 2));
          return;
        }
        console.log(
          formatTable(
            ["ID", "E-MAIL", "ROLE", "NAME", "SIGN-IN", "CREATED", "LAST LOGIN"],
            all.map((user) => [
              String(user.id),
              user.email,
              user.role + (user.isDisabled ? " (disabled)" : ""),
              user.name ?? "-",
              user.hasPassword ? "password" : "sso",
              formatConfiguredTime(user.createdAt),
              formatConfiguredTime(user.lastLoginAt),
            ]),
          ),
        );
      });
    });

  const userArgument = "<user>";
  const userArgumentHelp = "the user's e-mail address or id";

  users
    .command("disable")
    .description("disable an account: it can no longer sign in and its sessions end at once")
    .argument(userArgument, userArgumentHelp)
    .action(async (reference: string) => {
      await withServices(async ({ db }) => {
        const user = await changeUser(db, cliActor, await findUserId(db, reference), { disabled: true });
        console.log(`Disabled ${user.email} (id ${user.id}); their sessions have ended.`);
      });
    });

  users
    .command("enable")
    .description("enable a disabled account again")
    .argument(userArgument, userArgumentHelp)
    .action(async (reference: string) => {
      await withServices(async ({ db }) => {
        const user = await changeUser(db, cliActor, await findUserId(db, reference), { disabled: false });
        console.log(`Enabled ${user.email} (id ${user.id}).`);
      });
    });

  users
    .command("set-role")
    .description("give a user another role; their sessions end at once")
    .argument(userArgument, userArgumentHelp)
    .addArgument(new Argument("<role>", "the new role").choices(roles))
    .action(async (reference: string, role: (typeof roles)[number]) => {
      await withServices(async ({ db }) => {
        const user = await changeUser(db, cliActor, await findUserId(db, reference), { role });
        console.log(`${user.email} (id ${user.id}) is now ${user.role}.`);
      });
    });

  users
    .command("reset-password")
    .description("give a user a new password (generated and printed once unless --password); their sessions end and a sign-in lockout lifts")
    .argument(userArgument, userArgumentHelp)
    .option("--password <password>", "the new password (at least 10 characters)")
    .action(async (reference: string, options: { password?: string }) => {
      await withServices(async ({ db }) => {
        const { user, password } = await resetUserPassword(db, cliActor, await findUserId(db, reference), options);
        console.log(`New password for ${user.email} (id ${user.id}); their sessions have ended.`);
        if (options.password === undefined) console.log(`Password (shown only now): ${password}`);
      });
    });

  users
    .command("delete")
    .description("delete a user; what they wrote (thresholds, known issues, notes, the audit log) stays")
    .argument(userArgument, userArgumentHelp)
    .option("--yes", "confirm the deletion (required: it cannot be undone)")
    .action(async (reference: string, options: { yes?: boolean }) => {
      if (!options.yes) throw new InvalidInputError(`Deleting ${reference} cannot be undone: add --yes to confirm (or disable the account instead)`);
      await withServices(async ({ db }) => {
        const deleted = await deleteUser(db, cliActor, await findUserId(db, reference));
        console.log(`Deleted ${deleted.email} (id ${deleted.id}).`);
      });
    });

  return users;
}
