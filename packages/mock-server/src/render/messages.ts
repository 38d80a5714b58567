import type { Dialect } from '@fornex-flow/core';
import { MAX_STATS_DAYS } from './stats.js';

// The `error` texts of the mock, per dialect. Clients in the wild match some of them literally
// (the ru duplicate-record text above all), so they are data, not ad-hoc strings.
const texts = {
  orderNotFound: ['Order not found.', 'Заказ не найден.'],
  keyNotFound: ['Key not found.', 'Ключ не найден.'],
  jobNotFound: ['Log record not found.', 'Запись журнала не найдена.'],
  domainNotFound: ['Domain not found.', 'Домен не найден.'],
  recordNotFound: ['Record not found.', 'Запись не найдена.'],
  wrongOrderType: ['This action is not available for order {id}.', 'Действие недоступно для заказа {id}.'],
  duplicateRecord: ['Such a record already exists.', 'Такая запись уже существует.'],
  duplicateKey: ['This key has already been added.', 'Такой ключ уже добавлен.'],
  keyNotOnOrder: ['The key is not installed on this order.', 'Ключ не установлен на этот заказ.'],
  invalidKey: ['Invalid SSH public key.', 'Неверный формат SSH-ключа.'],
  domainTaken: ['This domain is already in use.', 'Этот домен уже используется.'],
  idsExhausted: ['No more ids can be handed out.', 'Идентификаторы исчерпаны.'],
  busy: ['Another power action is in progress.', 'Уже выполняется другая операция.'],
  invalidParam: ['Invalid parameter {name}: {reason}.', 'Неверный параметр {name}: {reason}.'],
  missingParam: ['Parameter {name} is required.', 'Параметр {name} обязателен.'],
  invalidValue: ['Invalid value for a {type} record.', 'Неверное значение для записи {type}.'],
  badRange: ['The end date must not be before the start date.', 'Дата конца не может быть раньше даты начала.'],
  rangeTooLong: [`The date range is limited to ${MAX_STATS_DAYS} days.`, `Период ограничен ${MAX_STATS_DAYS} днями.`],
  unknownPort: ['Unknown port {port}.', 'Неизвестный порт {port}.'],
  noApiKey: ['Access denied: API_KEY is not specified or is wrong.', 'Нет доступа: не указан или неверен API_KEY.'],
  noRight: [
    'Access denied: insufficient permission for this function.',
    'Нет доступа: недостаточно прав для этой функции.',
  ],
  formOnly: [
    'Access denied: POST parameters, apikey included, must be form-encoded.',
    'Нет доступа: параметры POST, включая apikey, передаются в форме.',
  ],
} as const satisfies Record<string, readonly [string, string]>;

/** A key of the message table. */
export type MessageKey = keyof typeof texts;

/** The text of a message in a dialect, with `{name}` placeholders filled in. */
export function message(key: MessageKey, dialect: Dialect, args: Record<string, string | number> = {}): string {
  const template = texts[key][dialect === 'ru' ? 1 : 0];
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(args[name] ?? `{${name}}`));
}
