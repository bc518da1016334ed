// Permissions and roles are pure data and live in core (notification kinds name permissions too);
// app and http code import them from here.
export * from '../core/permissions.ts';
