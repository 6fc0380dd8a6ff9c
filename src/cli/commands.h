/* The commands of the qorgau program; main.c dispatches to them. */
#ifndef QORGAU_CLI_COMMANDS_H
#define QORGAU_CLI_COMMANDS_H

/* Each takes the words after its name and returns the exit status. */
int cmd_serve(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_calendar(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);

#endif
