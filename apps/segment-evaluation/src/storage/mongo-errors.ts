export { isDuplicateKeyError } from '@lifecycle/messaging';
