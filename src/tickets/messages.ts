import type { OpenTicketResult } from './types.js';

/**
 * What the customer is told after openTicket(), in the provider's tone: thank, give the number and
 * the time limit, promise nothing the system does not do. Flows may use their own wording.
 */
export function ticketNotice(result: OpenTicketResult, firstResponseHours: number): string {
  if (result.queued) {
    return (
      `您的问题已完整记录,登记号 ${result.reference},请妥善保存。` +
      `系统稍后会生成正式工单号,凭登记号即可查询进度,处理时限从现在开始计算。`
    );
  }
  const { ticket } = result;
  if (result.repeat) {
    return `您反映的问题已有工单 ${ticket.number} 正在处理,我们已补充本次情况并提高了处理优先级,请您耐心等待。`;
  }
  return `已为您登记工单,单号 ${ticket.number}。工作人员将在 ${firstResponseHours} 小时内与您联系,请保持电话畅通。`;
}
