import { Command, Option } from "commander";
import { cliActor, roles } from "@/lib/auth/roles";
import { createUser, listUsers } from "@/lib/db/users";
import { withDatabase } from "../database";
import { formatTable, formatTime, outputFormats, type OutputFormat } from "../output";

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
      await withDatabase(async ({ prisma }) => {
        const { user, generatedPassword } = await createUser(prisma, cliActor, options);
        console.log(`Created ${user.role} ${user.email} (id ${user.id})`);
        if (generatedPassword) console.log(`Password (shown only now): ${generatedPassword}`);
      });
    });

  users
    .command("list")
    .description("list users")
    .addOption(new Option("--format <format>", "output format").choices(outputFormats).default("table"))
    .action(async (options: { format: OutputFormat }) => {
      await withDatabase(async ({ prisma }) => {
        const all = await listUsers(prisma, cliActor);
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
              formatTime(user.createdAt),
              formatTime(user.lastLoginAt),
            ]),
          ),
        );
      });
    });

  return users;
}
